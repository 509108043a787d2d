// An incident as an analyst works it: its fields (title, description, the RSIT classification
// and type as one choice from the taxonomy, cause, impact, priority, TLP, coordinator), the
// state transitions the server allows now (a refusal to close lists every rule still open),
// the members taking part (each with its own title, state and whether the others may see its
// name), the journal with the release of coordination notes (asked first, naming who will read
// it), the tasks, links to other records, and the incident's history.
import {
  Button,
  ButtonGroup,
  DataList,
  DataListItem,
  DataListKey,
  DataListValue,
  FormFieldCheckbox,
  FormFieldTextarea,
  FormFieldTextbox,
  Heading2,
  Paragraph,
} from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { Link, useParams } from "react-router";
import { api } from "../../api";
import type {
  Cause,
  Impact,
  Incident,
  IncidentHistoryEntry,
  IncidentLink,
  IncidentState,
  IncidentTask,
  JournalEntry,
  MemberName,
  Participation,
  ParticipationState,
  Priority,
  Tlp,
} from "../../api";
import { useI18n } from "../../i18n";
import { incidentLabel, rsitTypeChoices } from "../../labels";
import type { MessageKey } from "../../messages";
import { rsitPair, rsitValue } from "../../incidentTables.js";
import { useResource } from "../../resource";
import { useSignedIn } from "../../session";
import { useConfirm } from "../../components/Confirm";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, done, refused, refusedHere } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { Empty, Show } from "../../components/States";
import { DataTable } from "../../components/Table";
import { UserText } from "../../components/UserText";
import { BreachRecord } from "./Breach";
import { JournalForm } from "./MemberIncident";
import { Classification, Journal, TaskState, TlpField, actorName, markUserContent } from "./shared";

const kCauses: readonly Cause[] = ["unknown", "criminal", "employee_deliberate", "employee_unaware", "third_party"];
const kImpacts: readonly Impact[] = ["high", "medium", "low"];
const kPriorities: readonly Priority[] = ["urgent", "high", "normal", "low"];
const kLinkKinds = ["event", "advisory", "warning", "incident"] as const;

// What each history action is called.
const kActions: Record<string, MessageKey> = {
  "incident.create": "incidents.historyCreate",
  "incident.update": "incidents.historyUpdate",
  "incident.state": "incidents.historyState",
  "incident.journal": "incidents.historyJournal",
  "incident.release": "incidents.historyRelease",
  "incident.task": "incidents.historyTask",
  "incident.task_update": "incidents.historyTaskUpdate",
  "incident.link": "incidents.historyLink",
  "incident.merge": "incidents.historyMerge",
  "incident.merged_in": "incidents.historyMergedIn",
  "participation.add": "incidents.historyParticipationAdd",
  "participation.state": "incidents.historyParticipationState",
  "participation.update": "incidents.historyParticipationUpdate",
};

export function StaffIncident() {
  const { id = "" } = useParams();
  const [incident, reload] = useResource<Incident>(`/incidents/${encodeURIComponent(id)}`);
  return <Show resource={incident} render={(shown) => <StaffIncidentPage incident={shown} reload={reload} />} />;
}

function StaffIncidentPage({ incident, reload }: { incident: Incident; reload: () => void }) {
  const { t, language, formatDateTime } = useI18n();
  const participations = incident.participations ?? [];
  const memberName = (code: string) => participations.find((p) => p.member === code)?.member_name ?? code;
  return (
    <>
      <PageHeading title={`#${incident.id} ${incident.title}`}>
        #{incident.id} <UserText>{incident.title}</UserText>
      </PageHeading>
      <DataList>
        {(
          [
            [t("incidents.state"), incidentLabel(language, "state", incident.state)],
            [t("incidents.classification"), <Classification classification={incident.classification} type={incident.type} />],
            [t("incidents.priority"), incidentLabel(language, "priority", incident.priority)],
            ["TLP", `TLP:${incident.tlp}`],
            [t("incidents.coordinator"), incident.coordinator ? actorName(incident.coordinator) : t("incidents.noCoordinator")],
            [
              t("incidents.source"),
              <>
                {incidentLabel(language, "source", incident.source ?? "")}
                {incident.reporter && ` — ${actorName(incident.reporter)}`}
              </>,
            ],
            [t("incidents.created"), formatDateTime(incident.created_at)],
            [t("incidents.updated"), formatDateTime(incident.updated_at)],
            ...(incident.merged_into
              ? [[t("incidents.mergedInto"), <Link className="utrecht-link" to={`/incidents/${incident.merged_into}`}>#{incident.merged_into}</Link>] as const]
              : []),
          ] as const
        ).map(([key, value]) => (
          <DataListItem key={key}>
            <DataListKey>{key}</DataListKey>
            <DataListValue>{value}</DataListValue>
          </DataListItem>
        ))}
      </DataList>
      <StateSection incident={incident} reload={reload} />
      <EditSection key={incident.updated_at} incident={incident} reload={reload} />
      <ParticipationsSection incident={incident} reload={reload} />
      {participations.length > 0 && <BreachSection participations={participations} incidentId={incident.id} />}
      <JournalSection incident={incident} reload={reload} memberName={memberName} />
      <TasksSection incident={incident} reload={reload} memberName={memberName} />
      <LinksSection incident={incident} reload={reload} />
      <HistorySection incident={incident} memberName={memberName} />
    </>
  );
}

// A participant's data breach, one at a time (a supplier's incident may have forty): the first
// one with a breach comes first.
function BreachSection({ participations, incidentId }: { participations: Participation[]; incidentId: number }) {
  const { t } = useI18n();
  const first = participations.find((p) => p.breach === "breach") ?? participations[0]!;
  const [member, setMember] = useState(first.member);
  const shown = participations.find((p) => p.member === member) ?? first;
  return (
    <section aria-labelledby="incident-breaches" className="baken-section">
      <Heading2 id="incident-breaches">{t("breach.sectionTitle")}</Heading2>
      <Paragraph>{t("breach.sectionIntro")}</Paragraph>
      {participations.length > 1 && (
        <FormFieldSelect
          id="breach-participation"
          label={t("breach.participation")}
          value={shown.member}
          options={participations.map((p) => ({ value: p.member, label: `${p.member_name} (${p.member})` }))}
          onChange={setMember}
        />
      )}
      <BreachRecord key={shown.member} incidentId={incidentId} member={shown.member} memberName={shown.member_name} />
    </section>
  );
}

// The transitions the server allows from here, as buttons; a note goes with the move.
function StateSection({ incident, reload }: { incident: Incident; reload: () => void }) {
  const { t, language } = useI18n();
  const [note, setNote] = useState("");
  const [outcome, setOutcome] = useOutcome("incident-state");
  async function move(state: IncidentState) {
    setOutcome(null);
    try {
      await api<Incident>(`/incidents/${incident.id}/state`, {
        method: "POST",
        body: { state, ...(note.trim() ? { note: note.trim() } : {}) },
      });
      setNote("");
      setOutcome(done(t("incidents.moved", { state: incidentLabel(language, "state", state) })));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }
  const next = incident.next_states ?? [];
  return (
    <section aria-labelledby="incident-state" className="baken-section">
      <Heading2 id="incident-state">{t("incidents.stateTitle")}</Heading2>
      <Paragraph>{t("incidents.stateNow", { state: incidentLabel(language, "state", incident.state) })}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      {next.length === 0 ? (
        <Empty>{t("incidents.noNextState")}</Empty>
      ) : (
        <div className="baken-form">
          <FormFieldTextbox
            id="incident-state-note"
            label={t("incidents.stateNote")}
            maxLength={2000}
            value={note}
            onChange={(event) => setNote((event.target as HTMLInputElement).value)}
          />
          <div className="baken-actions">
            {next.map((state) => (
              <Button
                key={state}
                appearance={state === "closed" ? "secondary-action-button" : "primary-action-button"}
                onClick={() => void move(state)}
              >
                {incident.state === "closed"
                  ? t("incidents.reopen")
                  : t("incidents.moveTo", { state: incidentLabel(language, "state", state) })}
              </Button>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

interface Draft {
  title: string;
  description: string;
  rsit: string;
  cause: Cause | "";
  impact: Impact | "";
  priority: Priority;
  tlp: Tlp;
  coordinator: string;
}

function EditSection({ incident, reload }: { incident: Incident; reload: () => void }) {
  const { t, language } = useI18n();
  const session = useSignedIn();
  const [outcome, setOutcome] = useOutcome("incident-edit");
  const [draft, setDraft] = useState<Draft>({
    title: incident.title,
    description: incident.description ?? "",
    rsit: rsitValue(incident.classification, incident.type),
    cause: incident.cause ?? "",
    impact: incident.impact ?? "",
    priority: incident.priority,
    tlp: incident.tlp,
    coordinator: incident.coordinator ?? "",
  });
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));

  async function save(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (draft.title.trim() === "") {
      setOutcome(refusedHere(t("incidents.titleMissing")));
      return;
    }
    const { classification, type } = rsitPair(draft.rsit);
    try {
      await api<Incident>(`/incidents/${incident.id}`, {
        method: "PUT",
        body: {
          title: draft.title.trim(),
          description: draft.description,
          classification,
          type,
          cause: draft.cause || null,
          impact: draft.impact || null,
          priority: draft.priority,
          tlp: draft.tlp,
          coordinator: draft.coordinator.trim() || null,
        },
      });
      setOutcome(done(t("incidents.saved")));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  const notSet = { value: "", label: t("incidents.notSet") };
  return (
    <section aria-labelledby="incident-edit" className="baken-section">
      <Heading2 id="incident-edit">{t("incidents.editTitle")}</Heading2>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form" noValidate onSubmit={(event) => void save(event)}>
        <FormFieldTextbox
          id="incident-edit-title"
          label={t("incidents.fieldTitle")}
          required
          maxLength={200}
          value={draft.title}
          onChange={(event) => set("title", (event.target as HTMLInputElement).value)}
        />
        <FormFieldTextarea
          id="incident-edit-description"
          label={t("incidents.fieldDescription")}
          description={t("incidents.descriptionStaffHint")}
          inputRef={markUserContent}
          maxLength={20000}
          rows={5}
          value={draft.description}
          onChange={(event) => set("description", (event.target as HTMLTextAreaElement).value)}
        />
        <FormFieldSelect
          id="incident-edit-rsit"
          label={t("incidents.classification")}
          description={t("incidents.classificationHint")}
          value={draft.rsit}
          options={[{ value: "", label: t("incidents.unclassified") }]}
          groups={rsitTypeChoices(language)}
          onChange={(value) => set("rsit", value)}
        />
        <FormFieldSelect
          id="incident-edit-cause"
          label={t("incidents.cause")}
          value={draft.cause}
          options={[notSet, ...kCauses.map((cause) => ({ value: cause, label: incidentLabel(language, "cause", cause) }))]}
          onChange={(value) => set("cause", value as Cause | "")}
        />
        <FormFieldSelect
          id="incident-edit-impact"
          label={t("incidents.impact")}
          value={draft.impact}
          options={[notSet, ...kImpacts.map((impact) => ({ value: impact, label: incidentLabel(language, "impact", impact) }))]}
          onChange={(value) => set("impact", value as Impact | "")}
        />
        <FormFieldSelect
          id="incident-edit-priority"
          label={t("incidents.priority")}
          value={draft.priority}
          options={kPriorities.map((priority) => ({ value: priority, label: incidentLabel(language, "priority", priority) }))}
          onChange={(value) => set("priority", value)}
        />
        <TlpField id="incident-edit-tlp" value={draft.tlp} onChange={(value) => set("tlp", value)} />
        <FormFieldTextbox
          id="incident-edit-coordinator"
          type="email"
          label={t("incidents.coordinator")}
          description={t("incidents.coordinatorHint")}
          value={draft.coordinator}
          onChange={(event) => set("coordinator", (event.target as HTMLInputElement).value)}
        />
        <ButtonGroup>
          <Button type="submit" appearance="primary-action-button">
            {t("incidents.saveDetails")}
          </Button>
          <Button type="button" appearance="secondary-action-button" onClick={() => set("coordinator", session.email)}>
            {t("incidents.assignMe")}
          </Button>
        </ButtonGroup>
      </form>
    </section>
  );
}

// Each participation's transitions come with the participation alone (GET …/participations/{m}).
function useParticipationMoves(incident: Incident): Record<string, ParticipationState[]> {
  const [moves, setMoves] = useState<Record<string, ParticipationState[]>>({});
  const participations = incident.participations ?? [];
  const key = `${incident.id}:${participations.map((p) => `${p.member}/${p.state}`).join(",")}`;
  useEffect(() => {
    let current = true;
    void Promise.all(
      participations.map((p) =>
        api<Participation>(`/incidents/${incident.id}/participations/${encodeURIComponent(p.member)}`)
          .then((full) => [p.member, full.next_states ?? []] as const)
          .catch(() => [p.member, []] as const),
      ),
    ).then((pairs) => {
      if (current) setMoves(Object.fromEntries(pairs));
    });
    return () => {
      current = false;
    };
    // `key` says which participations in which states; the array is new on each render.
  }, [key]);
  return moves;
}

function ParticipationsSection({ incident, reload }: { incident: Incident; reload: () => void }) {
  const { t, language } = useI18n();
  const participations = incident.participations ?? [];
  const moves = useParticipationMoves(incident);
  const [outcome, setOutcome] = useOutcome("incident-participations");
  const [members] = useResource<{ members: MemberName[] }>("/members?fields=names");
  const [member, setMember] = useState("");
  const [title, setTitle] = useState("");
  const [named, setNamed] = useState(false);
  const fromReport = incident.source === "member";

  async function add(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (!member) {
      setOutcome(refusedHere(t("incidents.memberMissing")));
      return;
    }
    if (fromReport && title.trim() === "") {
      setOutcome(refusedHere(t("incidents.participantTitleMissing")));
      return;
    }
    try {
      await api(`/incidents/${incident.id}/participations`, {
        method: "POST",
        body: { members: [member], named, ...(title.trim() ? { title: title.trim() } : {}) },
      });
      setOutcome(done(t("incidents.participantAdded", { member: nameOf(member) })));
      setMember("");
      setTitle("");
      setNamed(false);
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  async function update(participation: Participation, body: Record<string, unknown>, message: string) {
    setOutcome(null);
    try {
      await api(`/incidents/${incident.id}/participations/${encodeURIComponent(participation.member)}`, { method: "PUT", body });
      setOutcome(done(message));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  async function move(participation: Participation, state: ParticipationState) {
    setOutcome(null);
    try {
      await api(`/incidents/${incident.id}/participations/${encodeURIComponent(participation.member)}/state`, {
        method: "POST",
        body: { state },
      });
      setOutcome(
        done(t("incidents.participationMoved", { member: participation.member_name, state: incidentLabel(language, "state", state) })),
      );
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  const list = members.status === "ready" ? members.data.members : [];
  const nameOf = (code: string) => list.find((m) => m.code === code)?.name ?? code;
  const taking = new Set(participations.map((p) => p.member));
  const choices = [
    { value: "", label: t("incidents.chooseMember") },
    ...[...list]
      .filter((m) => !taking.has(m.code))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((m) => ({ value: m.code, label: `${m.name} (${m.code})` })),
  ];
  return (
    <section aria-labelledby="incident-participations" className="baken-section">
      <Heading2 id="incident-participations">{t("incidents.participations")}</Heading2>
      <Paragraph>{t("incidents.participationsIntro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      {participations.length === 0 ? (
        <Empty>{t("incidents.participationsNone")}</Empty>
      ) : (
        <DataTable
          caption={t("incidents.participations")}
          rows={participations}
          rowKey={(p) => p.member}
          columns={[
            {
              key: "member",
              header: t("members.member"),
              userContent: true,
              cell: (p) => `${p.member_name} (${p.member})`,
            },
            { key: "title", header: t("incidents.participantTitle"), userContent: true, cell: (p) => p.title },
            { key: "state", header: t("incidents.state"), cell: (p) => incidentLabel(language, "state", p.state) },
            {
              key: "breach",
              header: t("incidents.breachDecision"),
              cell: (p) => (p.breach ? incidentLabel(language, "breach", p.breach) : "—"),
            },
            { key: "named", header: t("incidents.named"), cell: (p) => (p.named ? t("form.yes") : t("form.no")) },
            {
              key: "actions",
              header: t("form.actions"),
              actions: true,
              cell: (p) => (
                <div className="baken-actions">
                  {(moves[p.member] ?? []).map((state) => (
                    <Button
                      key={state}
                      appearance="secondary-action-button"
                      aria-label={t("incidents.participationMoveOne", {
                        member: p.member_name,
                        state: incidentLabel(language, "state", state),
                      })}
                      onClick={() => void move(p, state)}
                    >
                      {p.state === "closed"
                        ? t("incidents.reopen")
                        : t("incidents.moveTo", { state: incidentLabel(language, "state", state) })}
                    </Button>
                  ))}
                  <Button
                    appearance="subtle-button"
                    aria-label={t(p.named ? "incidents.unnameOne" : "incidents.nameOne", { member: p.member_name })}
                    onClick={() =>
                      void update(
                        p,
                        { named: !p.named },
                        t(p.named ? "incidents.unnamed" : "incidents.namedDone", { member: p.member_name }),
                      )
                    }
                  >
                    {t(p.named ? "incidents.unname" : "incidents.name")}
                  </Button>
                </div>
              ),
            },
          ]}
        />
      )}
      <form className="baken-form" noValidate onSubmit={(event) => void add(event)} aria-labelledby="participation-add">
        <Heading2 id="participation-add" className="baken-subsection">
          {t("incidents.participantAdd")}
        </Heading2>
        <FormFieldSelect id="participation-member" label={t("members.member")} value={member} options={choices} onChange={setMember} />
        <FormFieldTextbox
          id="participation-title"
          label={t("incidents.participantTitle")}
          description={t(fromReport ? "incidents.participantTitleNeeded" : "incidents.participantTitleHint")}
          required={fromReport}
          maxLength={200}
          value={title}
          onChange={(event) => setTitle((event.target as HTMLInputElement).value)}
        />
        <FormFieldCheckbox
          id="participation-named"
          label={t("incidents.namedLabel")}
          checked={named}
          onChange={(event) => setNamed((event.target as HTMLInputElement).checked)}
        />
        <Button type="submit" appearance="primary-action-button">
          {t("incidents.participantSubmit")}
        </Button>
      </form>
    </section>
  );
}

function JournalSection({
  incident,
  reload,
  memberName,
}: {
  incident: Incident;
  reload: () => void;
  memberName: (code: string) => string;
}) {
  const { t } = useI18n();
  const [confirm, confirmDialog] = useConfirm();
  const [outcome, setOutcome] = useOutcome("incident-release");
  const participations = incident.participations ?? [];

  async function release(entry: JournalEntry) {
    setOutcome(null);
    const names = participations.map((p) => p.member_name).join(", ");
    const strict = entry.tlp !== "CLEAR" && entry.tlp !== "GREEN";
    const confirmed = await confirm({
      title: t("incidents.releaseQuestion"),
      consequence:
        participations.length === 0
          ? t("incidents.releaseNobody")
          : t(strict ? "incidents.releaseTrusted" : "incidents.releaseEveryone", { members: names, tlp: entry.tlp }),
      confirmLabel: t("incidents.release"),
      danger: true,
    });
    if (!confirmed) return;
    try {
      await api(`/incidents/${incident.id}/journal/${entry.id}/release`, { method: "POST" });
      setOutcome(done(t("incidents.released")));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <section aria-labelledby="incident-journal" className="baken-section">
      {confirmDialog}
      <Heading2 id="incident-journal">{t("incidents.journal")}</Heading2>
      <Paragraph>{t("incidents.journalIntroStaff")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      {incident.journal.length === 0 ? (
        <Empty>{t("incidents.journalEmpty")}</Empty>
      ) : (
        <Journal
          entries={incident.journal}
          memberName={memberName}
          action={(entry) =>
            entry.member === null &&
            entry.released_at === null && (
              <Button appearance="secondary-action-button" hint="warning" onClick={() => void release(entry)}>
                {t("incidents.release")}
              </Button>
            )
          }
        />
      )}
      <JournalForm
        incidentId={incident.id}
        defaultTlp={incident.tlp}
        reload={reload}
        members={participations.map((p) => ({ value: p.member, label: t("incidents.entryInParticipation", { member: p.member_name }) }))}
      />
    </section>
  );
}

// A time from a datetime-local field as the API's UTC form.
function utc(local: string): string | null {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function TasksSection({
  incident,
  reload,
  memberName,
}: {
  incident: Incident;
  reload: () => void;
  memberName: (code: string) => string;
}) {
  const { t, formatDateTime } = useI18n();
  const [outcome, setOutcome] = useOutcome("incident-tasks");
  const [title, setTitle] = useState("");
  const [member, setMember] = useState("");
  const [owner, setOwner] = useState("");
  const [due, setDue] = useState("");
  const [dropping, setDropping] = useState<IncidentTask | null>(null);
  const [reason, setReason] = useState("");
  const participations = incident.participations ?? [];

  async function add(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (title.trim() === "") {
      setOutcome(refusedHere(t("incidents.taskTitleMissing")));
      return;
    }
    const dueAt = due ? utc(due) : null;
    try {
      await api(`/incidents/${incident.id}/tasks`, {
        method: "POST",
        body: {
          title: title.trim(),
          ...(member ? { member } : {}),
          ...(owner.trim() ? { owner: owner.trim() } : {}),
          ...(dueAt ? { due_at: dueAt } : {}),
        },
      });
      setOutcome(done(t("incidents.taskAdded", { title: title.trim() })));
      setTitle("");
      setOwner("");
      setDue("");
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  async function change(task: IncidentTask, body: Record<string, unknown>, message: string) {
    setOutcome(null);
    try {
      await api(`/incidents/${incident.id}/tasks/${task.id}`, { method: "PUT", body });
      setOutcome(done(message));
      setDropping(null);
      setReason("");
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  function drop(event: FormEvent) {
    event.preventDefault();
    if (!dropping) return;
    if (reason.trim() === "") {
      setOutcome(refusedHere(t("incidents.dropReasonMissing")));
      return;
    }
    void change(dropping, { state: "dropped", reason: reason.trim() }, t("incidents.taskDropped", { title: dropping.title }));
  }

  return (
    <section aria-labelledby="incident-tasks" className="baken-section">
      <Heading2 id="incident-tasks">{t("incidents.tasks")}</Heading2>
      <OutcomeAlert outcome={outcome} />
      {incident.tasks.length === 0 ? (
        <Empty>{t("incidents.tasksNone")}</Empty>
      ) : (
        <DataTable
          caption={t("incidents.tasks")}
          rows={incident.tasks}
          rowKey={(task) => task.id}
          columns={[
            { key: "title", header: t("incidents.task"), userContent: true, cell: (task) => task.title },
            {
              key: "member",
              header: t("incidents.taskFor"),
              cell: (task) => (task.member ? <UserText>{memberName(task.member)}</UserText> : t("incidents.coordination")),
            },
            { key: "owner", header: t("incidents.owner"), cell: (task) => (task.owner ? actorName(task.owner) : "—") },
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
                task.state === "open" ? (
                  <ButtonGroup>
                    <Button
                      appearance="secondary-action-button"
                      aria-label={t("incidents.markDoneOne", { title: task.title })}
                      onClick={() => void change(task, { state: "done" }, t("incidents.taskDone", { title: task.title }))}
                    >
                      {t("incidents.markDone")}
                    </Button>
                    <Button
                      appearance="subtle-button"
                      aria-label={t("incidents.dropOne", { title: task.title })}
                      onClick={() => {
                        setReason("");
                        setDropping(task);
                      }}
                    >
                      {t("incidents.drop")}
                    </Button>
                  </ButtonGroup>
                ) : (
                  <Button
                    appearance="subtle-button"
                    aria-label={t("incidents.reopenTaskOne", { title: task.title })}
                    onClick={() => void change(task, { state: "open", reason: null }, t("incidents.taskReopened", { title: task.title }))}
                  >
                    {t("incidents.reopenTask")}
                  </Button>
                ),
            },
          ]}
        />
      )}
      {dropping && (
        <form className="baken-form baken-assign" noValidate onSubmit={drop} aria-labelledby="task-drop-title">
          <Heading2 id="task-drop-title" className="baken-subsection">
            {t("incidents.dropTitle", { title: dropping.title })}
          </Heading2>
          <FormFieldTextbox
            id="task-drop-reason"
            label={t("incidents.dropReason")}
            required
            maxLength={1000}
            value={reason}
            onChange={(event) => setReason((event.target as HTMLInputElement).value)}
          />
          <ButtonGroup>
            <Button type="submit" appearance="primary-action-button">
              {t("incidents.drop")}
            </Button>
            <Button type="button" appearance="secondary-action-button" onClick={() => setDropping(null)}>
              {t("form.cancel")}
            </Button>
          </ButtonGroup>
        </form>
      )}
      <form className="baken-form" noValidate onSubmit={(event) => void add(event)} aria-labelledby="task-add">
        <Heading2 id="task-add" className="baken-subsection">
          {t("incidents.taskAdd")}
        </Heading2>
        <FormFieldTextbox
          id="task-title"
          label={t("incidents.task")}
          required
          maxLength={500}
          value={title}
          onChange={(event) => setTitle((event.target as HTMLInputElement).value)}
        />
        <FormFieldSelect
          id="task-member"
          label={t("incidents.taskFor")}
          description={t("incidents.taskForHint")}
          value={member}
          options={[
            { value: "", label: t("incidents.coordination") },
            ...participations.map((p) => ({ value: p.member, label: `${p.member_name} (${p.member})` })),
          ]}
          onChange={setMember}
        />
        <FormFieldTextbox
          id="task-owner"
          label={t("incidents.owner")}
          value={owner}
          onChange={(event) => setOwner((event.target as HTMLInputElement).value)}
        />
        <FormFieldTextbox
          id="task-due"
          type="datetime-local"
          label={t("incidents.due")}
          value={due}
          onChange={(event) => setDue((event.target as HTMLInputElement).value)}
        />
        <Button type="submit" appearance="primary-action-button">
          {t("incidents.taskSubmit")}
        </Button>
      </form>
    </section>
  );
}

function linkTarget(link: IncidentLink): string | null {
  const target = encodeURIComponent(link.target);
  if (link.kind === "incident") return `/incidents/${target}`;
  if (link.kind === "advisory") return `/advisories/${target}`;
  if (link.kind === "warning") return `/warnings/${target}`;
  if (link.kind === "event") return `/events/${target}`;
  return null;
}

function LinksSection({ incident, reload }: { incident: Incident; reload: () => void }) {
  const { t, formatDateTime } = useI18n();
  const [outcome, setOutcome] = useOutcome("incident-links");
  const [kind, setKind] = useState<(typeof kLinkKinds)[number]>("incident");
  const [target, setTarget] = useState("");
  const links = incident.links ?? [];
  const kindLabel = (value: string) => t(`incidents.linkKind.${value}` as MessageKey);

  async function add(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (target.trim() === "") {
      setOutcome(refusedHere(t("incidents.linkTargetMissing")));
      return;
    }
    try {
      await api(`/incidents/${incident.id}/links`, { method: "POST", body: { kind, target: target.trim() } });
      setOutcome(done(t("incidents.linkAdded")));
      setTarget("");
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <section aria-labelledby="incident-links" className="baken-section">
      <Heading2 id="incident-links">{t("incidents.links")}</Heading2>
      <OutcomeAlert outcome={outcome} />
      {links.length === 0 ? (
        <Empty>{t("incidents.linksNone")}</Empty>
      ) : (
        <DataTable
          caption={t("incidents.links")}
          rows={links}
          rowKey={(link) => link.id}
          columns={[
            { key: "kind", header: t("incidents.linkKind"), cell: (link) => kindLabel(link.kind) },
            {
              key: "target",
              header: t("incidents.linkTarget"),
              userContent: true,
              cell: (link) => {
                const to = linkTarget(link);
                return to ? (
                  <Link className="utrecht-link" to={to}>
                    {link.target}
                  </Link>
                ) : (
                  link.target
                );
              },
            },
            { key: "added", header: t("incidents.linkAddedBy"), cell: (link) => `${actorName(link.added_by)}, ${formatDateTime(link.added_at)}` },
          ]}
        />
      )}
      <form className="baken-form baken-form--inline" noValidate onSubmit={(event) => void add(event)} aria-label={t("incidents.linkAdd")}>
        <FormFieldSelect
          id="link-kind"
          label={t("incidents.linkKind")}
          value={kind}
          options={kLinkKinds.map((value) => ({ value, label: kindLabel(value) }))}
          onChange={setKind}
        />
        <FormFieldTextbox
          id="link-target"
          label={t("incidents.linkTarget")}
          description={t("incidents.linkTargetHint")}
          value={target}
          onChange={(event) => setTarget((event.target as HTMLInputElement).value)}
        />
        <Button type="submit" appearance="secondary-action-button">
          {t("incidents.linkAdd")}
        </Button>
      </form>
    </section>
  );
}

function HistorySection({ incident, memberName }: { incident: Incident; memberName: (code: string) => string }) {
  const { t, formatDateTime } = useI18n();
  // Asked again whenever the incident changed.
  const [history] = useResource<{ history: IncidentHistoryEntry[] }>(`/incidents/${incident.id}/history?v=${encodeURIComponent(incident.updated_at)}`);
  return (
    <section aria-labelledby="incident-history" className="baken-section">
      <Heading2 id="incident-history">{t("incidents.history")}</Heading2>
      <Show
        resource={history}
        render={({ history: entries }) =>
          entries.length === 0 ? (
            <Empty>{t("incidents.historyNone")}</Empty>
          ) : (
            <DataTable
              caption={t("incidents.history")}
              rows={entries}
              rowKey={(_entry, index) => index}
              columns={[
                { key: "at", header: t("incidents.historyAt"), cell: (entry) => formatDateTime(entry.at) },
                { key: "actor", header: t("incidents.historyWho"), cell: (entry) => actorName(entry.actor) },
                {
                  key: "action",
                  header: t("incidents.historyWhat"),
                  cell: (entry) => (
                    <>
                      {kActions[entry.action] ? t(kActions[entry.action]!) : t("incidents.historyOther")}
                      {entry.member && (
                        <>
                          {" — "}
                          <UserText>{memberName(entry.member)}</UserText>
                        </>
                      )}
                    </>
                  ),
                },
                {
                  key: "detail",
                  header: t("incidents.historyDetail"),
                  // The record as stored (field names and codes): data, not the portal's words.
                  userContent: true,
                  cell: (entry) => <code className="baken-history-detail">{entry.detail === null ? "" : JSON.stringify(entry.detail)}</code>,
                },
              ]}
            />
          )
        }
      />
    </section>
  );
}
