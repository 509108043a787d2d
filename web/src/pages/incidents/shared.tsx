// What the incident pages share: the TLP choice with what it means for who reads, the journal
// as a list, who did something, and the RSIT classification in words.
import { Paragraph, StatusBadge } from "@utrecht/component-library-react";
import type { ReactNode } from "react";
import type { IncidentTask, JournalEntry, Tlp } from "../../api";
import { kTlpLevels } from "../../eventText";
import { useI18n } from "../../i18n";
import { incidentLabel, rsitTypeLabel } from "../../labels";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { UserText } from "../../components/UserText";

// A text field holding what someone wrote (a report's description): marked as user content, as
// UserText marks shown text, for the language test (the library puts a field's own props on its
// wrapper, so the mark goes on through the field's ref).
export function markUserContent(element: HTMLTextAreaElement | null): void {
  element?.setAttribute("data-user-content", "");
}

// "user:soc@amsterdam.example.nl" as the address alone; "system" and the like as they are.
export function actorName(actor: string): string {
  return actor.replace(/^user:/, "");
}

// `ownPart`: a member's user writes for its own part, which no other member reads.
export function TlpField({
  id,
  value,
  onChange,
  ownPart = false,
}: {
  id: string;
  value: Tlp;
  onChange: (value: Tlp) => void;
  ownPart?: boolean;
}) {
  const { t } = useI18n();
  return (
    <FormFieldSelect
      id={id}
      label="TLP"
      description={t(ownPart ? "incidents.tlpHintMember" : "incidents.tlpHint")}
      value={value}
      options={kTlpLevels.map((level) => ({ value: level as Tlp, label: `TLP:${level}` }))}
      onChange={onChange}
    />
  );
}

// "Phishing (fraud:phishing)", or that the CERT has not classified it yet.
export function Classification({ classification, type }: { classification: string | null; type: string | null }) {
  const { t, language } = useI18n();
  if (!classification || !type) return <>{t("incidents.unclassified")}</>;
  return <>{rsitTypeLabel(language, classification, type)}</>;
}

// The journal, oldest first as the server gives it: who wrote, when, under which TLP, and for
// a coordination entry whether it is released; `action` adds a control to an entry (release).
export function Journal({
  entries,
  memberName,
  action,
  asMember = false,
}: {
  entries: JournalEntry[];
  // A member's reader: a coordination entry is the CERT's message (it is released, or unseen).
  asMember?: boolean;
  memberName?: (code: string) => string;
  action?: (entry: JournalEntry) => ReactNode;
}) {
  const { t, formatDateTime } = useI18n();
  return (
    <ol className="baken-journal">
      {entries.map((entry) => (
        <li key={entry.id} className="baken-journal__entry">
          <Paragraph className="baken-journal__meta">
            {t("incidents.entryMeta", { who: actorName(entry.author), when: formatDateTime(entry.at) })}{" "}
            <span className="baken-code">TLP:{entry.tlp}</span>{" "}
            {entry.member === null ? (
              asMember ? (
                <StatusBadge status="info">{t("incidents.fromCert")}</StatusBadge>
              ) : entry.released_at ? (
                <StatusBadge status="success">
                  {t("incidents.releasedAt", { when: formatDateTime(entry.released_at) })}
                </StatusBadge>
              ) : (
                <StatusBadge status="warning">{t("incidents.notReleased")}</StatusBadge>
              )
            ) : (
              memberName && <UserText>{memberName(entry.member)}</UserText>
            )}
          </Paragraph>
          <div className="baken-journal__text" data-user-content="">
            {entry.text}
          </div>
          {action?.(entry)}
        </li>
      ))}
    </ol>
  );
}

// A task's state, and for a dropped one the reason given.
export function TaskState({ task }: { task: IncidentTask }) {
  const { language } = useI18n();
  return (
    <>
      {incidentLabel(language, "task", task.state)}
      {task.reason && (
        <>
          {" — "}
          <UserText>{task.reason}</UserText>
        </>
      )}
    </>
  );
}
