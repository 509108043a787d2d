// The piket roster for analysts (decision 0019): who is on duty now per rotation, the coming
// seven days shift by shift, a warning for every stretch nobody covers, overrides ("ik neem
// vrijdagnacht over") with a form and a cancel button, and a form for a new rotation. Times are
// shown in the reader's time zone; handovers are kept in Europe/Amsterdam by the server.
import { Alert, Button, Fieldset, FieldsetLegend, FormFieldTextbox, Heading2, Heading3, Paragraph, StatusBadge } from "@utrecht/component-library-react";
import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "../../api";
import type { DutyNow, OncallDuty, Rotation, RotationCoverage, RotationOverride } from "../../api";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../messages";
import { useResource } from "../../resource";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, done, refused, refusedHere } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { Empty, Show } from "../../components/States";
import { DataTable } from "../../components/Table";
import { UserText } from "../../components/UserText";
import { useSignedIn } from "../../session";

const kCoverages: RotationCoverage[] = ["always", "office_hours", "outside_office_hours"];

// A date and time field pair as the API's UTC form; null when either is missing.
function utcFrom(date: string, time: string): string | null {
  if (!date || !time) return null;
  const at = new Date(`${date}T${time}`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function DutyText({ duty }: { duty: DutyNow }) {
  const { t } = useI18n();
  if (!duty.covered) return <>{t("oncall.notCovering")}</>;
  if (!duty.person) return <StatusBadge status="danger">{t("oncall.nobody")}</StatusBadge>;
  return (
    <>
      <UserText>{duty.person}</UserText>
      {duty.overridden && (
        <>
          {" "}
          <StatusBadge status="info">{t("oncall.override")}</StatusBadge>
        </>
      )}
    </>
  );
}

export function Roster() {
  const { t } = useI18n();
  const [duty, reloadDuty] = useResource<OncallDuty>("/rosters/duty?days=7");
  const [rotations, reloadRotations] = useResource<{ rotations: Rotation[] }>("/rosters");
  const reload = () => {
    reloadDuty();
    reloadRotations();
  };
  return (
    <>
      <PageHeading title={t("oncall.title")} />
      <Paragraph>{t("oncall.intro")}</Paragraph>
      <Show resource={duty} render={(data) => <DutyView duty={data} reload={reload} />} />
      <Show
        resource={rotations}
        render={({ rotations: list }) => (
          <>
            <OverrideForm rotations={list} reload={reload} />
            <Rotations rotations={list} reload={reload} />
          </>
        )}
      />
    </>
  );
}

function DutyView({ duty, reload }: { duty: OncallDuty; reload: () => void }) {
  const { t, formatDateTime } = useI18n();
  const [outcome, setOutcome] = useOutcome("oncall-overrides");
  const coverage = (value: string) => t(`oncall.coverage.${value}` as MessageKey);
  const name = (id: number) => duty.rotations.find((rotation) => rotation.id === id)?.name ?? String(id);

  async function cancel(override: RotationOverride) {
    setOutcome(null);
    try {
      await api(`/rosters/${override.rotation}/overrides/${override.id}/cancel`, { method: "POST", body: {} });
      setOutcome(done(t("oncall.overrideCancelled")));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <>
      <section aria-labelledby="oncall-now" className="baken-section">
        <Heading2 id="oncall-now">{t("oncall.now")}</Heading2>
        {duty.rotations.length === 0 ? (
          <Empty>{t("oncall.noRotations")}</Empty>
        ) : (
          <DataTable
            caption={t("oncall.now")}
            rows={duty.rotations}
            rowKey={(rotation) => rotation.id}
            columns={[
              { key: "name", header: t("oncall.rotation"), userContent: true, cell: (rotation) => rotation.name },
              { key: "coverage", header: t("oncall.coverage"), cell: (rotation) => coverage(rotation.coverage) },
              { key: "person", header: t("oncall.onDuty"), cell: (rotation) => <DutyText duty={rotation.now} /> },
            ]}
          />
        )}
      </section>
      <section aria-labelledby="oncall-week" className="baken-section">
        <Heading2 id="oncall-week">{t("oncall.week")}</Heading2>
        {duty.gaps.length > 0 ? (
          <Alert type="warning">
            <Paragraph>{t("oncall.gaps", { count: String(duty.gaps.length) })}</Paragraph>
            <ul>
              {duty.gaps.map((gap) => (
                <li key={gap.start}>{t("oncall.span", { from: formatDateTime(gap.start), to: formatDateTime(gap.end) })}</li>
              ))}
            </ul>
          </Alert>
        ) : (
          <Paragraph>{t("oncall.noGaps")}</Paragraph>
        )}
        {duty.rotations.map((rotation) => (
          <div key={rotation.id}>
            <Heading3 id={`oncall-rotation-${rotation.id}`}>
              <UserText>{rotation.name}</UserText>
            </Heading3>
            <DataTable
              caption={t("oncall.shiftsOf", { name: rotation.name })}
              rows={rotation.shifts.filter((shift) => shift.covered)}
              rowKey={(shift) => shift.start}
              columns={[
                { key: "from", header: t("oncall.from"), cell: (shift) => formatDateTime(shift.start) },
                { key: "to", header: t("oncall.to"), cell: (shift) => formatDateTime(shift.end) },
                { key: "person", header: t("oncall.onDuty"), cell: (shift) => <DutyText duty={shift} /> },
              ]}
            />
          </div>
        ))}
      </section>
      <section aria-labelledby="oncall-overrides" className="baken-section">
        <Heading2 id="oncall-overrides">{t("oncall.overrides")}</Heading2>
        <OutcomeAlert outcome={outcome} />
        {duty.overrides.length === 0 ? (
          <Empty>{t("oncall.noOverrides")}</Empty>
        ) : (
          <DataTable
            caption={t("oncall.overrides")}
            rows={duty.overrides}
            rowKey={(override) => override.id}
            columns={[
              { key: "rotation", header: t("oncall.rotation"), userContent: true, cell: (override) => name(override.rotation) },
              { key: "person", header: t("oncall.person"), userContent: true, cell: (override) => override.person },
              {
                key: "span",
                header: t("oncall.when"),
                cell: (override) => t("oncall.span", { from: formatDateTime(override.start_at), to: formatDateTime(override.end_at) }),
              },
              { key: "reason", header: t("oncall.reason"), userContent: true, cell: (override) => override.reason },
              {
                key: "cancel",
                header: t("oncall.actions"),
                cell: (override) => (
                  <Button appearance="secondary-action-button" onClick={() => void cancel(override)}>
                    {t("oncall.cancelOverride")}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </section>
    </>
  );
}

function OverrideForm({ rotations, reload }: { rotations: Rotation[]; reload: () => void }) {
  const { t } = useI18n();
  const session = useSignedIn();
  const [outcome, setOutcome] = useOutcome("oncall-override-form");
  const [rotation, setRotation] = useState(rotations[0] ? String(rotations[0].id) : "");
  const [person, setPerson] = useState(session.email);
  const [fromDate, setFromDate] = useState("");
  const [fromTime, setFromTime] = useState("");
  const [toDate, setToDate] = useState("");
  const [toTime, setToTime] = useState("");
  const [reason, setReason] = useState("");
  if (rotations.length === 0) return null;

  async function add(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    const start = utcFrom(fromDate, fromTime);
    const end = utcFrom(toDate, toTime);
    if (!start || !end) {
      setOutcome(refusedHere(t("oncall.spanMissing")));
      return;
    }
    try {
      await api(`/rosters/${rotation}/overrides`, {
        method: "POST",
        body: { person: person.trim(), start_at: start, end_at: end, reason: reason.trim() },
      });
      setOutcome(done(t("oncall.overrideAdded")));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <section aria-labelledby="oncall-override-new" className="baken-section">
      <Heading2 id="oncall-override-new">{t("oncall.overrideNew")}</Heading2>
      <Paragraph>{t("oncall.overrideIntro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form" noValidate onSubmit={(event) => void add(event)} aria-labelledby="oncall-override-new">
        <FormFieldSelect
          id="override-rotation"
          label={t("oncall.rotation")}
          value={rotation}
          options={rotations.map((each) => ({ value: String(each.id), label: each.name }))}
          onChange={setRotation}
        />
        <FormFieldTextbox id="override-person" label={t("oncall.person")} description={t("oncall.personHint")} value={person} onChange={(event) => setPerson((event.target as HTMLInputElement).value)} />
        <Fieldset>
          <FieldsetLegend>{t("oncall.from")}</FieldsetLegend>
          <div className="baken-date-time">
            <FormFieldTextbox id="override-from-date" type="date" required label={t("breach.date")} value={fromDate} onChange={(event) => setFromDate((event.target as HTMLInputElement).value)} />
            <FormFieldTextbox id="override-from-time" type="time" required label={t("breach.time")} value={fromTime} onChange={(event) => setFromTime((event.target as HTMLInputElement).value)} />
          </div>
        </Fieldset>
        <Fieldset>
          <FieldsetLegend>{t("oncall.to")}</FieldsetLegend>
          <div className="baken-date-time">
            <FormFieldTextbox id="override-to-date" type="date" required label={t("breach.date")} value={toDate} onChange={(event) => setToDate((event.target as HTMLInputElement).value)} />
            <FormFieldTextbox id="override-to-time" type="time" required label={t("breach.time")} value={toTime} onChange={(event) => setToTime((event.target as HTMLInputElement).value)} />
          </div>
        </Fieldset>
        <FormFieldTextbox id="override-reason" label={t("oncall.reason")} maxLength={500} value={reason} onChange={(event) => setReason((event.target as HTMLInputElement).value)} />
        <Button type="submit" appearance="primary-action-button">
          {t("oncall.overrideAdd")}
        </Button>
      </form>
    </section>
  );
}

// The rotations with their settings, each with a button that opens it in the form below; the
// form makes a new rotation otherwise.
function Rotations({ rotations, reload }: { rotations: Rotation[]; reload: () => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<Rotation | null>(null);
  const when = (rotation: Rotation) =>
    rotation.shift === "daily"
      ? t("oncall.changesDaily", { time: rotation.handover })
      : t("oncall.changesWeekly", { day: t(`oncall.weekday.${rotation.handover_day}` as MessageKey), time: rotation.handover });
  return (
    <>
      {rotations.length > 0 && (
        <section aria-labelledby="oncall-rotations" className="baken-section">
          <Heading2 id="oncall-rotations">{t("oncall.rotations")}</Heading2>
          <DataTable
            caption={t("oncall.rotations")}
            rows={rotations}
            rowKey={(rotation) => rotation.id}
            columns={[
              { key: "name", header: t("oncall.rotationName"), userContent: true, cell: (rotation) => rotation.name },
              { key: "changes", header: t("oncall.shift"), cell: when },
              { key: "coverage", header: t("oncall.coverage"), cell: (rotation) => t(`oncall.coverage.${rotation.coverage}` as MessageKey) },
              {
                key: "participants",
                header: t("oncall.participants"),
                userContent: true,
                cell: (rotation) => (rotation.participants.length > 0 ? rotation.participants.join(", ") : "—"),
              },
              {
                key: "edit",
                header: t("oncall.actions"),
                cell: (rotation) => (
                  <Button appearance="secondary-action-button" onClick={() => setEditing(rotation)} aria-label={t("oncall.editNamed", { name: rotation.name })}>
                    {t("oncall.edit")}
                  </Button>
                ),
              },
            ]}
          />
        </section>
      )}
      <RotationForm
        key={editing ? `edit-${editing.id}-${editing.updated_at}` : "new"}
        rotation={editing}
        done={() => {
          setEditing(null);
          reload();
        }}
      />
    </>
  );
}

function RotationForm({ rotation, done: finished }: { rotation: Rotation | null; done: () => void }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useOutcome("oncall-rotation-form");
  const [name, setName] = useState(rotation?.name ?? "");
  const [shift, setShift] = useState<"daily" | "weekly">(rotation?.shift ?? "weekly");
  const [handover, setHandover] = useState(rotation?.handover ?? "09:00");
  const [startDate, setStartDate] = useState(rotation?.start_date ?? "");
  const [coverage, setCoverage] = useState<RotationCoverage>(rotation?.coverage ?? "always");
  const [participants, setParticipants] = useState(rotation?.participants.join(", ") ?? "");

  async function create(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    // A weekly rotation changes on the weekday it starts.
    const day = startDate ? ((new Date(`${startDate}T12:00:00Z`).getUTCDay() + 6) % 7) + 1 : 1;
    try {
      await api(rotation ? `/rosters/${rotation.id}` : "/rosters", {
        method: rotation ? "PUT" : "POST",
        body: {
          name: name.trim(),
          shift,
          handover,
          handover_day: day,
          start_date: startDate,
          coverage,
          participants: participants
            .split(/[,\n]/)
            .map((value) => value.trim())
            .filter((value) => value !== ""),
        },
      });
      setOutcome(done(t(rotation ? "oncall.rotationSaved" : "oncall.rotationAdded")));
      if (!rotation) setName("");
      finished();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <section aria-labelledby="oncall-rotation-new" className="baken-section">
      <Heading2 id="oncall-rotation-new">{rotation ? t("oncall.rotationEdit", { name: rotation.name }) : t("oncall.rotationNew")}</Heading2>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form" noValidate onSubmit={(event) => void create(event)} aria-labelledby="oncall-rotation-new">
        <FormFieldTextbox id="rotation-name" label={t("oncall.rotationName")} required maxLength={100} value={name} onChange={(event) => setName((event.target as HTMLInputElement).value)} />
        <FormFieldSelect
          id="rotation-shift"
          label={t("oncall.shift")}
          value={shift}
          options={(["weekly", "daily"] as const).map((value) => ({ value, label: t(`oncall.shift.${value}` as MessageKey) }))}
          onChange={setShift}
        />
        <FormFieldTextbox id="rotation-handover" type="time" label={t("oncall.handover")} description={t("oncall.handoverHint")} value={handover} onChange={(event) => setHandover((event.target as HTMLInputElement).value)} />
        <FormFieldTextbox id="rotation-start" type="date" required label={t("oncall.startDate")} description={t("oncall.startDateHint")} value={startDate} onChange={(event) => setStartDate((event.target as HTMLInputElement).value)} />
        <FormFieldSelect
          id="rotation-coverage"
          label={t("oncall.coverage")}
          value={coverage}
          options={kCoverages.map((value) => ({ value, label: t(`oncall.coverage.${value}` as MessageKey) }))}
          onChange={setCoverage}
        />
        <FormFieldTextbox id="rotation-participants" label={t("oncall.participants")} description={t("oncall.participantsHint")} value={participants} onChange={(event) => setParticipants((event.target as HTMLInputElement).value)} />
        <Button type="submit" appearance="secondary-action-button">
          {rotation ? t("oncall.rotationSave") : t("oncall.rotationAdd")}
        </Button>
        {rotation && (
          <Button type="button" appearance="subtle-button" onClick={finished}>
            {t("oncall.editCancel")}
          </Button>
        )}
      </form>
    </section>
  );
}
