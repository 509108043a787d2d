// A participation's data breach (datalek, decision 0018): when the member became aware (which
// starts the AP's 72 hours), the facts the AP's form asks for, the countdown to the deadline,
// the AP decision and the Art. 34 decision about the people concerned, and the text to copy
// into the AP's "Meldformulier datalekken". The member's trusted and privacy contacts and staff
// read it; for anyone else the server answers 404 and the member's page does not ask.
import {
  Button,
  Checkbox,
  Fieldset,
  FieldsetLegend,
  FormFieldTextarea,
  FormFieldTextbox,
  FormLabel,
  Heading3,
  Paragraph,
  StatusBadge,
} from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { api } from "../../api";
import type { Breach, BreachDetails, BreachState, BreachUpdateKind } from "../../api";
import { apFormText, breachCountdown, kNatures, kRisks } from "../../breachText.js";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../messages";
import { useResource } from "../../resource";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, done, refused, refusedHere } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { Empty, ErrorState, Loading } from "../../components/States";
import { DataTable } from "../../components/Table";
import { actorName, markUserContent } from "./shared";

// A UTC time as the date and time fields show it, in the reader's own time zone.
function localParts(iso: string | null | undefined): { date: string; time: string } {
  if (!iso) return { date: "", time: "" };
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return { date: "", time: "" };
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    date: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
    time: `${pad(at.getHours())}:${pad(at.getMinutes())}`,
  };
}

// The date and time fields as the API's UTC form; null when either is missing or wrong.
function utcFrom(date: string, time: string): string | null {
  if (!date || !time) return null;
  const at = new Date(`${date}T${time}`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function listText(values: string[] | null | undefined): string {
  return (values ?? []).join(", ");
}

function listFrom(text: string): string[] | null {
  const values = text
    .split(/[,\n]/)
    .map((value) => value.trim())
    .filter((value) => value !== "");
  return values.length > 0 ? values : null;
}

function numberFrom(text: string): number | null | "bad" {
  if (text.trim() === "") return null;
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : "bad";
}

export function BreachRecord({ incidentId, member, memberName }: { incidentId: number; member: string; memberName: string }) {
  const path = `/incidents/${incidentId}/participations/${encodeURIComponent(member)}/breach`;
  const [resource, reload] = useResource<Breach>(path);
  if (resource.status === "loading") return <Loading />;
  if (resource.status === "error" && resource.error.status !== 404) return <ErrorState error={resource.error} />;
  const breach = resource.status === "ready" ? resource.data : null;
  return (
    <>
      {breach && <BreachCountdown breach={breach} />}
      <BreachEditor key={breach?.updated_at ?? "new"} path={path} breach={breach} reload={reload} />
      {breach && breach.ap_decision === "notify" && breach.ap_notified_at && <BreachUpdates key={`updates-${breach.updated_at}`} path={path} breach={breach} reload={reload} />}
      {breach && <ApFormText breach={breach} memberName={memberName} />}
      <Paragraph>
        <RegisterLink member={member} />
      </Paragraph>
    </>
  );
}

function RegisterLink({ member }: { member: string }) {
  const { t } = useI18n();
  return (
    <Link className="utrecht-link" to={`/members/${encodeURIComponent(member)}/breaches`}>
      {t("breach.registerLink")}
    </Link>
  );
}

// Where the breach stands, in words and a badge (never colour alone): the time left until the
// AP's deadline, counted from the browser's clock and redrawn each minute. No live region: a
// reader who wants the time reads it; a minute's tick is not news to announce.
export function BreachCountdown({ breach }: { breach: Breach }) {
  const { t, formatDateTime } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  const left = breachCountdown(breach.deadline_at, now);
  const state: BreachState = breach.state === "open" && left.past ? "overdue" : breach.state === "overdue" && !left.past ? "open" : breach.state;
  const badge = { open: "warning", overdue: "danger", notified: "success", withdrawn: "info", not_notified: "info" } as const;
  let text: string;
  if (state === "open") text = t("breach.timeLeft", { hours: left.hours, minutes: left.minutes });
  else if (state === "overdue") text = t("breach.timePast", { hours: left.hours, minutes: left.minutes });
  else if (state === "notified") text = t("breach.notifiedAt", { when: formatDateTime(breach.ap_notified_at) });
  else if (state === "withdrawn") {
    const withdrawal = breach.ap_updates.find((update) => update.kind === "withdrawal");
    text = t("breach.withdrawnAt", { when: formatDateTime(withdrawal?.sent_at ?? breach.updated_at) });
  } else text = t("breach.notNotified");
  return (
    <div className={`baken-countdown baken-countdown--${state}`} data-testid="breach-countdown">
      <Paragraph>
        <StatusBadge status={badge[state]}>{t(`breach.state.${state}` as MessageKey)}</StatusBadge>{" "}
        <strong className="baken-countdown__time">{text}</strong>
      </Paragraph>
      <Paragraph>
        {t("breach.deadline", { when: formatDateTime(breach.deadline_at), aware: formatDateTime(breach.aware_at) })}
      </Paragraph>
    </div>
  );
}

interface Draft {
  awareDate: string;
  awareTime: string;
  description: string;
  nature: string[];
  dataCategories: string;
  specialCategories: string;
  records: string;
  subjects: string;
  subjectCategories: string;
  consequences: string;
  protection: string;
  measures: string;
  risk: string;
  riskRationale: string;
  apDecision: Breach["ap_decision"];
  apReason: string;
  notifiedDate: string;
  notifiedTime: string;
  apReference: string;
  delayReason: string;
  subjectsDecision: Breach["subjects_decision"];
  subjectsReason: string;
}

function draftOf(breach: Breach | null): Draft {
  const d: BreachDetails = breach?.details ?? {};
  const aware = localParts(breach?.aware_at);
  const notified = localParts(breach?.ap_notified_at);
  return {
    awareDate: aware.date,
    awareTime: aware.time,
    description: d.description ?? "",
    nature: d.nature ?? [],
    dataCategories: listText(d.data_categories),
    specialCategories: listText(d.special_categories),
    records: d.records === null || d.records === undefined ? "" : String(d.records),
    subjects: d.subjects === null || d.subjects === undefined ? "" : String(d.subjects),
    subjectCategories: listText(d.subject_categories),
    consequences: d.consequences ?? "",
    protection: d.protection ?? "",
    measures: d.measures ?? "",
    risk: d.risk ?? "",
    riskRationale: d.risk_rationale ?? "",
    apDecision: breach?.ap_decision ?? "undecided",
    apReason: breach?.ap_reason ?? "",
    notifiedDate: notified.date,
    notifiedTime: notified.time,
    apReference: breach?.ap_reference ?? "",
    delayReason: breach?.delay_reason ?? "",
    subjectsDecision: breach?.subjects_decision ?? "undecided",
    subjectsReason: breach?.subjects_reason ?? "",
  };
}

function BreachEditor({ path, breach, reload }: { path: string; breach: Breach | null; reload: () => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Draft>(() => draftOf(breach));
  const [outcome, setOutcome] = useOutcome(`breach:${path}`);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const text = (key: keyof Draft) => (event: { target: EventTarget }) => set(key, (event.target as HTMLInputElement).value as never);
  const notifiedAt = utcFrom(draft.notifiedDate, draft.notifiedTime);
  const deadline = breach?.deadline_at ?? (utcFrom(draft.awareDate, draft.awareTime) ? new Date(Date.parse(utcFrom(draft.awareDate, draft.awareTime)!) + 72 * 3600_000).toISOString() : null);
  const late = notifiedAt !== null && deadline !== null && Date.parse(notifiedAt) > Date.parse(deadline);

  async function save(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    const awareAt = utcFrom(draft.awareDate, draft.awareTime);
    if (!awareAt) {
      setOutcome(refusedHere(t("breach.awareMissing")));
      return;
    }
    const records = numberFrom(draft.records);
    const subjects = numberFrom(draft.subjects);
    if (records === "bad" || subjects === "bad") {
      setOutcome(refusedHere(t("breach.numberWrong")));
      return;
    }
    // Keys this form does not show (a processor named over the API) stay as they were.
    const details: BreachDetails = {
      ...(breach?.details ?? {}),
      description: draft.description.trim() || null,
      nature: draft.nature.length > 0 ? draft.nature : null,
      data_categories: listFrom(draft.dataCategories),
      special_categories: listFrom(draft.specialCategories),
      records,
      subjects,
      subject_categories: listFrom(draft.subjectCategories),
      consequences: draft.consequences.trim() || null,
      protection: draft.protection.trim() || null,
      measures: draft.measures.trim() || null,
      risk: (draft.risk || null) as BreachDetails["risk"],
      risk_rationale: draft.riskRationale.trim() || null,
    };
    const body: Record<string, unknown> = {
      aware_at: awareAt,
      details,
      ap_decision: draft.apDecision,
      subjects_decision: draft.subjectsDecision,
    };
    if (draft.apDecision === "no_notify") body.ap_reason = draft.apReason;
    if (draft.apDecision === "notify") {
      if (notifiedAt) body.ap_notified_at = notifiedAt;
      body.ap_reference = draft.apReference;
      if (late) body.delay_reason = draft.delayReason;
    }
    if (draft.subjectsDecision === "no_inform") body.subjects_reason = draft.subjectsReason;
    try {
      await api<Breach>(path, { method: "PUT", body });
      setOutcome(done(t("breach.saved")));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form" noValidate onSubmit={(event) => void save(event)} aria-labelledby="breach-form-title">
        <Heading3 id="breach-form-title">{breach ? t("breach.factsTitle") : t("breach.recordTitle")}</Heading3>
        <Paragraph>{t("breach.recordIntro")}</Paragraph>
        <Fieldset>
          <FieldsetLegend>{t("breach.awareAt")}</FieldsetLegend>
          <div className="baken-date-time">
            <FormFieldTextbox id="breach-aware-date" type="date" required label={t("breach.date")} value={draft.awareDate} onChange={text("awareDate")} />
            <FormFieldTextbox id="breach-aware-time" type="time" required label={t("breach.time")} value={draft.awareTime} onChange={text("awareTime")} />
          </div>
        </Fieldset>
        <FormFieldTextarea
          id="breach-description"
          inputRef={markUserContent}
          label={t("breach.description")}
          description={t("breach.descriptionHint")}
          rows={4}
          maxLength={5000}
          value={draft.description}
          onChange={text("description")}
        />
        <Fieldset>
          <FieldsetLegend>{t("breach.nature")}</FieldsetLegend>
          {kNatures.map((nature) => (
            <div className="baken-checkbox" key={nature}>
              <Checkbox
                id={`breach-nature-${nature}`}
                checked={draft.nature.includes(nature)}
                onChange={(event) => {
                  const on = (event.target as HTMLInputElement).checked;
                  set("nature", on ? [...draft.nature, nature] : draft.nature.filter((value) => value !== nature));
                }}
              />
              <FormLabel htmlFor={`breach-nature-${nature}`} type="checkbox">
                {t(`breach.natureValue.${nature}` as MessageKey)}
              </FormLabel>
            </div>
          ))}
        </Fieldset>
        <FormFieldTextbox id="breach-data" label={t("breach.dataCategories")} description={t("breach.listHint")} value={draft.dataCategories} onChange={text("dataCategories")} />
        <FormFieldTextbox id="breach-special" label={t("breach.specialCategories")} description={t("breach.listHint")} value={draft.specialCategories} onChange={text("specialCategories")} />
        <FormFieldTextbox id="breach-records" inputMode="numeric" label={t("breach.records")} value={draft.records} onChange={text("records")} />
        <FormFieldTextbox id="breach-subject-categories" label={t("breach.subjectCategories")} description={t("breach.listHint")} value={draft.subjectCategories} onChange={text("subjectCategories")} />
        <FormFieldTextbox id="breach-subjects" inputMode="numeric" label={t("breach.subjects")} value={draft.subjects} onChange={text("subjects")} />
        <FormFieldTextarea inputRef={markUserContent} id="breach-protection" label={t("breach.protection")} rows={3} maxLength={5000} value={draft.protection} onChange={text("protection")} />
        <FormFieldTextarea inputRef={markUserContent} id="breach-consequences" label={t("breach.consequences")} rows={3} maxLength={5000} value={draft.consequences} onChange={text("consequences")} />
        <FormFieldTextarea inputRef={markUserContent} id="breach-measures" label={t("breach.measures")} rows={3} maxLength={5000} value={draft.measures} onChange={text("measures")} />
        <FormFieldSelect
          id="breach-risk"
          label={t("breach.risk")}
          value={draft.risk}
          options={[{ value: "", label: t("breach.riskUnassessed") }, ...kRisks.map((risk) => ({ value: risk, label: t(`breach.risk.${risk}` as MessageKey) }))]}
          onChange={(value) => set("risk", value)}
        />
        <FormFieldTextarea inputRef={markUserContent} id="breach-risk-rationale" label={t("breach.riskRationale")} rows={2} maxLength={5000} value={draft.riskRationale} onChange={text("riskRationale")} />

        <Heading3 id="breach-ap-title">{t("breach.apTitle")}</Heading3>
        <FormFieldSelect
          id="breach-ap-decision"
          label={t("breach.apDecision")}
          value={draft.apDecision}
          options={(["undecided", "notify", "no_notify"] as const).map((value) => ({ value, label: t(`breach.ap.${value}` as MessageKey) }))}
          onChange={(value) => set("apDecision", value)}
        />
        {draft.apDecision === "notify" && (
          <>
            <Fieldset>
              <FieldsetLegend>{t("breach.notifiedAtLabel")}</FieldsetLegend>
              <div className="baken-date-time">
                <FormFieldTextbox id="breach-notified-date" type="date" label={t("breach.date")} value={draft.notifiedDate} onChange={text("notifiedDate")} />
                <FormFieldTextbox id="breach-notified-time" type="time" label={t("breach.time")} value={draft.notifiedTime} onChange={text("notifiedTime")} />
              </div>
            </Fieldset>
            <FormFieldTextbox id="breach-ap-reference" label={t("breach.apReference")} maxLength={100} value={draft.apReference} onChange={text("apReference")} />
            {late && (
              <FormFieldTextarea
                id="breach-delay-reason"
                inputRef={markUserContent}
                label={t("breach.delayReason")}
                description={t("breach.delayReasonHint")}
                required
                rows={3}
                maxLength={5000}
                value={draft.delayReason}
                onChange={text("delayReason")}
              />
            )}
          </>
        )}
        {draft.apDecision === "no_notify" && (
          <FormFieldTextarea inputRef={markUserContent} id="breach-ap-reason" label={t("breach.apReason")} required rows={3} maxLength={5000} value={draft.apReason} onChange={text("apReason")} />
        )}
        <FormFieldSelect
          id="breach-subjects-decision"
          label={t("breach.subjectsDecision")}
          value={draft.subjectsDecision}
          options={(["undecided", "inform", "no_inform"] as const).map((value) => ({ value, label: t(`breach.subjects.${value}` as MessageKey) }))}
          onChange={(value) => set("subjectsDecision", value)}
        />
        {draft.subjectsDecision === "no_inform" && (
          <FormFieldTextarea inputRef={markUserContent} id="breach-subjects-reason" label={t("breach.subjectsReason")} required rows={3} maxLength={5000} value={draft.subjectsReason} onChange={text("subjectsReason")} />
        )}
        <Button type="submit" appearance="primary-action-button">
          {breach ? t("breach.save") : t("breach.record")}
        </Button>
      </form>
    </>
  );
}

// A notification in phases (GDPR Art. 33(4)): what was later supplemented, changed or
// withdrawn through the AP's form, each kept with when it was sent; none after a withdrawal.
function BreachUpdates({ path, breach, reload }: { path: string; breach: Breach; reload: () => void }) {
  const { t, formatDateTime } = useI18n();
  const [outcome, setOutcome] = useOutcome(`breach-updates:${path}`);
  const [kind, setKind] = useState<BreachUpdateKind>("supplement");
  const [date, setDate] = useState("");
  const [time, setTime] = useState("");
  const [note, setNote] = useState("");
  const withdrawn = breach.state === "withdrawn";
  const kindLabel = (value: BreachUpdateKind) => t(`breach.updateKind.${value}` as MessageKey);

  async function add(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    const sentAt = utcFrom(date, time);
    if (!sentAt || note.trim() === "") {
      setOutcome(refusedHere(t("breach.updateMissing")));
      return;
    }
    try {
      await api<Breach>(`${path}/updates`, { method: "POST", body: { kind, sent_at: sentAt, note: note.trim() } });
      setOutcome(done(t("breach.updateAdded")));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <section aria-labelledby="breach-updates-title" className="baken-subsection">
      <Heading3 id="breach-updates-title">{t("breach.updatesTitle")}</Heading3>
      <Paragraph>{t("breach.updatesIntro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      {breach.ap_updates.length === 0 ? (
        <Empty>{t("breach.updatesNone")}</Empty>
      ) : (
        <DataTable
          caption={t("breach.updatesTitle")}
          rows={breach.ap_updates}
          rowKey={(_update, index) => index}
          columns={[
            { key: "sent", header: t("breach.updateSentAt"), cell: (update) => formatDateTime(update.sent_at) },
            { key: "kind", header: t("breach.updateKind"), cell: (update) => kindLabel(update.kind) },
            { key: "note", header: t("breach.updateNote"), userContent: true, cell: (update) => update.note },
            { key: "by", header: t("breach.updateBy"), cell: (update) => `${actorName(update.added_by)}, ${formatDateTime(update.added_at)}` },
          ]}
        />
      )}
      {withdrawn ? (
        <Paragraph>{t("breach.updatesClosed")}</Paragraph>
      ) : (
        <form className="baken-form" noValidate onSubmit={(event) => void add(event)} aria-label={t("breach.updateAdd")}>
          <FormFieldSelect
            id="breach-update-kind"
            label={t("breach.updateKind")}
            value={kind}
            options={(["supplement", "change", "withdrawal"] as const).map((value) => ({ value, label: kindLabel(value) }))}
            onChange={setKind}
          />
          <Fieldset>
            <FieldsetLegend>{t("breach.updateSentAt")}</FieldsetLegend>
            <div className="baken-date-time">
              <FormFieldTextbox id="breach-update-date" type="date" required label={t("breach.date")} value={date} onChange={(event) => setDate((event.target as HTMLInputElement).value)} />
              <FormFieldTextbox id="breach-update-time" type="time" required label={t("breach.time")} value={time} onChange={(event) => setTime((event.target as HTMLInputElement).value)} />
            </div>
          </Fieldset>
          <FormFieldTextarea
            id="breach-update-note"
            inputRef={markUserContent}
            label={t("breach.updateNote")}
            description={t("breach.updateNoteHint")}
            required
            rows={3}
            maxLength={2000}
            value={note}
            onChange={(event) => setNote((event.target as HTMLTextAreaElement).value)}
          />
          <Button type="submit" appearance="secondary-action-button">
            {t("breach.updateAdd")}
          </Button>
        </form>
      )}
    </section>
  );
}

// The text for the AP's form, to copy; the form itself is on the AP's site (no API exists).
function ApFormText({ breach, memberName }: { breach: Breach; memberName: string }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const [outcome, setOutcome] = useOutcome("breach-copy");
  const text = apFormText(breach, {
    t: (key) => t(key as MessageKey),
    time: (iso) => formatDateTime(iso),
    number: formatNumber,
    memberName,
  });
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setOutcome(done(t("breach.copied")));
    } catch {
      setOutcome(refusedHere(t("breach.copyFailed")));
    }
  }
  return (
    <section aria-labelledby="breach-ap-text" className="baken-subsection">
      <Heading3 id="breach-ap-text">{t("breach.apTextTitle")}</Heading3>
      <Paragraph>{t("breach.apTextIntro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      <FormFieldTextarea
        id="breach-ap-text-value"
        label={t("breach.apTextLabel")}
        readOnly
        rows={16}
        value={text}
        inputRef={markUserContent}
      />
      <Button appearance="secondary-action-button" onClick={() => void copy()}>
        {t("breach.copy")}
      </Button>
    </section>
  );
}
