// An incident as a member's user sees it: its own participation's title and state, how the
// CERT classified it, what the CERT asks of the member (tasks it can mark done), the journal
// (the member's own entries and the coordination notes the CERT released to it, TLP
// permitting) with a form to add to it, the other participants the coordinator named, and for
// a trusted or privacy contact the data-breach decision. The server decides what is in the
// reply (decision 0018); the page only shows it.
import {
  Alert,
  Button,
  DataList,
  DataListItem,
  DataListKey,
  DataListValue,
  FormFieldTextarea,
  Heading2,
  Paragraph,
  UnorderedList,
  UnorderedListItem,
} from "@utrecht/component-library-react";
import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { useLocation, useParams } from "react-router";
import { api } from "../../api";
import type { BreachDecision, Incident, IncidentTask, Participation, Tlp } from "../../api";
import { useI18n } from "../../i18n";
import { incidentLabel } from "../../labels";
import { useResource } from "../../resource";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { Empty, Show } from "../../components/States";
import { DataTable } from "../../components/Table";
import { UserText } from "../../components/UserText";
import { BreachRecord } from "./Breach";
import { Classification, Journal, TaskState, TlpField } from "./shared";

export function MemberIncident() {
  const { id = "" } = useParams();
  const [incident, reload] = useResource<Incident>(`/incidents/${encodeURIComponent(id)}`);
  return <Show resource={incident} render={(shown) => <MemberIncidentPage incident={shown} reload={reload} />} />;
}

function MemberIncidentPage({ incident, reload }: { incident: Incident; reload: () => void }) {
  const { t, language, formatDateTime } = useI18n();
  const location = useLocation();
  const reported = (location.state as { reported?: boolean } | null)?.reported === true;
  const participation = incident.participation;
  const others = incident.participants ?? [];
  return (
    <>
      <PageHeading title={incident.title}>
        <UserText>{incident.title}</UserText>
      </PageHeading>
      {reported && (
        <Alert type="ok" role="status">
          <Paragraph>{t("incidents.reported", { id: incident.id })}</Paragraph>
        </Alert>
      )}
      <DataList>
        {(
          [
            [t("incidents.number"), String(incident.id)],
            [t("incidents.state"), incidentLabel(language, "state", incident.state)],
            [t("incidents.ourState"), participation ? incidentLabel(language, "state", participation.state) : "—"],
            [t("incidents.classification"), <Classification classification={incident.classification} type={incident.type} />],
            ["TLP", `TLP:${incident.tlp}`],
            [t("incidents.created"), formatDateTime(incident.created_at)],
            [t("incidents.updated"), formatDateTime(incident.updated_at)],
          ] as const
        ).map(([key, value]) => (
          <DataListItem key={key}>
            <DataListKey>{key}</DataListKey>
            <DataListValue>{value}</DataListValue>
          </DataListItem>
        ))}
      </DataList>
      {others.length > 0 && (
        <section aria-labelledby="incident-participants" className="baken-section">
          <Heading2 id="incident-participants">{t("incidents.otherParticipants")}</Heading2>
          <UnorderedList>
            {others.map((other) => (
              <UnorderedListItem key={other.member}>
                <UserText>{other.member_name}</UserText>
              </UnorderedListItem>
            ))}
          </UnorderedList>
        </section>
      )}
      {participation && participation.breach !== null && (
        <BreachForm key={`${participation.breach}`} incident={incident} participation={participation} reload={reload} />
      )}
      {participation && participation.breach !== null && (
        <section aria-labelledby="incident-breach-record" className="baken-section">
          <Heading2 id="incident-breach-record">{t("breach.editTitle")}</Heading2>
          <BreachRecord incidentId={incident.id} member={participation.member} memberName={participation.member_name} />
        </section>
      )}
      <MemberTasks incident={incident} reload={reload} />
      <section aria-labelledby="incident-journal" className="baken-section">
        <Heading2 id="incident-journal">{t("incidents.journal")}</Heading2>
        <Paragraph>{t("incidents.journalIntroMember")}</Paragraph>
        {incident.journal.length === 0 ? (
          <Empty>{t("incidents.journalEmpty")}</Empty>
        ) : (
          <Journal entries={incident.journal} asMember />
        )}
        <JournalForm incidentId={incident.id} defaultTlp={incident.tlp} reload={reload} />
      </section>
    </>
  );
}

// The data-breach decision of the member's part: only its trusted and privacy contacts get it
// (the server sends `breach: null` to anyone else, and then this form is not shown).
function BreachForm({ incident, participation, reload }: { incident: Incident; participation: Participation; reload: () => void }) {
  const { t, language } = useI18n();
  const [breach, setBreach] = useState<BreachDecision>(participation.breach ?? "undecided");
  const [outcome, setOutcome] = useOutcome("incident-breach");
  async function save(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    try {
      await api<Participation>(`/incidents/${incident.id}/participations/${encodeURIComponent(participation.member)}`, {
        method: "PUT",
        body: { breach },
      });
      setOutcome(done(t("incidents.breachSaved", { decision: incidentLabel(language, "breach", breach) })));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }
  return (
    <section aria-labelledby="incident-breach" className="baken-section">
      <Heading2 id="incident-breach">{t("incidents.breachTitle")}</Heading2>
      <Paragraph>{t("incidents.breachIntro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form" noValidate onSubmit={(event) => void save(event)}>
        <FormFieldSelect
          id="incident-breach-decision"
          label={t("incidents.breachDecision")}
          value={breach}
          options={(["undecided", "none", "breach"] as const).map((value) => ({
            value,
            label: incidentLabel(language, "breach", value),
          }))}
          onChange={setBreach}
        />
        <Button type="submit" appearance="primary-action-button">
          {t("incidents.breachSave")}
        </Button>
      </form>
    </section>
  );
}

// What the CERT asks of the member; an open task can be marked done.
function MemberTasks({ incident, reload }: { incident: Incident; reload: () => void }) {
  const { t, formatDateTime } = useI18n();
  const [outcome, setOutcome] = useOutcome("incident-tasks");
  async function markDone(task: IncidentTask) {
    setOutcome(null);
    try {
      await api<IncidentTask>(`/incidents/${incident.id}/tasks/${task.id}`, { method: "PUT", body: { state: "done" } });
      setOutcome(done(t("incidents.taskDone", { title: task.title })));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }
  return (
    <section aria-labelledby="incident-tasks" className="baken-section">
      <Heading2 id="incident-tasks">{t("incidents.tasksAsked")}</Heading2>
      <OutcomeAlert outcome={outcome} />
      {incident.tasks.length === 0 ? (
        <Empty>{t("incidents.tasksNoneMember")}</Empty>
      ) : (
        <DataTable
          caption={t("incidents.tasksAsked")}
          rows={incident.tasks}
          rowKey={(task) => task.id}
          columns={[
            { key: "title", header: t("incidents.task"), userContent: true, cell: (task) => task.title },
            { key: "due", header: t("incidents.due"), cell: (task) => (task.due_at ? formatDateTime(task.due_at) : "—") },
            {
              key: "state",
              header: t("incidents.taskState"),
              cell: (task) => <TaskState task={task} />,
            },
            {
              key: "actions",
              header: t("form.actions"),
              actions: true,
              cell: (task) =>
                task.state === "open" && (
                  <Button
                    appearance="secondary-action-button"
                    aria-label={t("incidents.markDoneOne", { title: task.title })}
                    onClick={() => void markDone(task)}
                  >
                    {t("incidents.markDone")}
                  </Button>
                ),
            },
          ]}
        />
      )}
    </section>
  );
}

// A new journal entry: a member's user writes in its own participation; staff in a member's
// participation (`members`, the choice of whose) or in the coordination.
export function JournalForm({
  incidentId,
  defaultTlp,
  reload,
  members,
}: {
  incidentId: number;
  defaultTlp: Tlp;
  reload: () => void;
  members?: { value: string; label: string }[];
}) {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const [tlp, setTlp] = useState<Tlp>(defaultTlp);
  const [member, setMember] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useOutcome("incident-journal");
  const textField = useRef<HTMLTextAreaElement>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (text.trim() === "") {
      setError(t("incidents.entryMissing"));
      textField.current?.focus();
      return;
    }
    setError(null);
    try {
      await api(`/incidents/${incidentId}/journal`, {
        method: "POST",
        body: { text: text.trim(), tlp, ...(member ? { member } : {}) },
      });
      setText("");
      setOutcome(done(t("incidents.entryAdded")));
      reload();
    } catch (failure) {
      setOutcome(refused(failure));
    }
  }
  return (
    <>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form" noValidate onSubmit={(event) => void submit(event)} aria-labelledby="journal-form-title">
        <Heading2 id="journal-form-title" className="baken-subsection">
          {t("incidents.entryAdd")}
        </Heading2>
        {members && (
          <FormFieldSelect
            id="journal-member"
            label={t("incidents.entryWhere")}
            description={t("incidents.entryWhereHint")}
            value={member}
            options={[{ value: "", label: t("incidents.coordination") }, ...members]}
            onChange={setMember}
          />
        )}
        <FormFieldTextarea
          id="journal-text"
          label={t("incidents.entryText")}
          inputRef={textField}
          required
          maxLength={20000}
          rows={5}
          invalid={Boolean(error)}
          errorMessage={error ?? undefined}
          value={text}
          onChange={(event) => setText((event.target as HTMLTextAreaElement).value)}
        />
        <TlpField id="journal-tlp" value={tlp} onChange={setTlp} ownPart={!members} />
        <Button type="submit" appearance="primary-action-button">
          {t("incidents.entrySubmit")}
        </Button>
      </form>
    </>
  );
}
