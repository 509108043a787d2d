// One intel event with the indicators the reader may receive (GET /intel/events/{id}): its TLP,
// distribution and who shared it; for each indicator the sightings so far and buttons to report
// one ("seen", "false positive", "expired"), with whether the member may be named to the others
// (off unless ticked); on request the findings of the feeds that hold the indicators' values;
// adding indicators for the member that shared the event and for analysts, who also read what
// the document's reader flagged.
import {
  Alert,
  Button,
  DataList,
  DataListItem,
  DataListKey,
  DataListValue,
  Heading2,
  Paragraph,
  UnorderedList,
  UnorderedListItem,
} from "@utrecht/component-library-react";
import { useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { Link, useLocation, useParams } from "react-router";
import { ApiError, api } from "../../api";
import type { Indicator, IntelEvent } from "../../api";
import { useI18n } from "../../i18n";
import { emptyIndicatorRow, indicatorsBody, placeProblems, problemsOf } from "../../intel.js";
import type { IndicatorRow, RowProblem } from "../../intel.js";
import { useResource } from "../../resource";
import { isStaff, useSignedIn } from "../../session";
import { OutcomeAlert, done, refused, refusedHere } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { Empty, Show } from "../../components/States";
import { DataTable } from "../../components/Table";
import { TlpBadge } from "../../components/TlpBadge";
import { UserText } from "../../components/UserText";
import { FeedMatches } from "./FeedMatches";
import {
  Creator,
  IndicatorRows,
  SightingButtons,
  SightingCounts,
  SightingOptions,
  Value,
  useIntelWords,
  useMemberNames,
  useSightingReport,
} from "./shared";

export function IntelEventPage() {
  const { id = "" } = useParams();
  const [event, reload] = useResource<IntelEvent>(`/intel/events/${encodeURIComponent(id)}`);
  return <Show resource={event} render={(shown) => <EventPage event={shown} reload={reload} />} />;
}

function EventPage({ event, reload }: { event: IntelEvent; reload: () => void }) {
  const { t, formatDate, formatDateTime, formatNumber } = useI18n();
  const session = useSignedIn();
  const staff = isStaff(session);
  const words = useIntelWords();
  const members = useMemberNames(staff);
  const location = useLocation();
  const shared = (location.state as { shared?: number } | null)?.shared;
  const indicators = Array.isArray(event.indicators) ? event.indicators : [];
  // The server lets the member that shared the event add to it, and analysts (others: 403).
  const mayAdd = event.may_add === true;
  const details: [string, ReactNode][] = [
    [t("intel.tlp"), <TlpBadge tlp={event.tlp} />],
    [t("intel.distribution"), words.distribution(event.distribution)],
  ];
  if (event.named.length > 0) {
    details.push([t("intel.named"), <UserText>{event.named.map(members.nameOf).join(", ")}</UserText>]);
  }
  details.push([t("intel.creator"), <Creator event={event} nameOf={members.nameOf} />]);
  details.push([t("intel.source"), words.source(event.source_kind)]);
  if (event.date) details.push([t("intel.eventDate"), formatDate(event.date)]);
  details.push([t("intel.created"), formatDateTime(event.created_at)]);
  if (event.confidence !== null) details.push([t("intel.confidence"), `${formatNumber(event.confidence)} %`]);
  if (event.tags.length > 0) details.push([t("intel.tags"), <UserText>{event.tags.join(", ")}</UserText>]);

  return (
    <>
      <PageHeading title={event.title}>
        <UserText>{event.title}</UserText>
      </PageHeading>
      {shared !== undefined && (
        <Alert type="ok" role="status">
          <Paragraph>{shared === 1 ? t("intel.sharedOne") : t("intel.sharedMany", { count: formatNumber(shared) })}</Paragraph>
        </Alert>
      )}
      <section aria-labelledby="intel-event-details" className="baken-section">
        <Heading2 id="intel-event-details">{t("intel.details")}</Heading2>
        <DataList>
          {details.map(([key, value]) => (
            <DataListItem key={key}>
              <DataListKey>{key}</DataListKey>
              <DataListValue>{value}</DataListValue>
            </DataListItem>
          ))}
        </DataList>
        {event.description && (
          <div className="baken-journal__text" data-user-content="" data-testid="intel-description">
            {event.description}
          </div>
        )}
      </section>
      {staff && event.problems && event.source_kind !== "portal" && (
        <section aria-labelledby="intel-event-problems" className="baken-section">
          <Heading2 id="intel-event-problems">{t("intel.problemsHeading")}</Heading2>
          {event.problems.length === 0 ? (
            <Paragraph>{t("intel.problemsNone")}</Paragraph>
          ) : (
            <>
              <Paragraph>{t("intel.problemsIntro")}</Paragraph>
              <UnorderedList lang="en" data-user-content="">
                {event.problems.map((problem, index) => (
                  <UnorderedListItem key={index}>{problem}</UnorderedListItem>
                ))}
              </UnorderedList>
            </>
          )}
        </section>
      )}
      <IndicatorsSection event={event} indicators={indicators} reload={reload} staff={staff} members={members} />
      {indicators.length > 0 && <FeedMatches key={event.id} of="event" id={event.id} staff={staff} nameOf={members.nameOf} />}
      {mayAdd && <AddIndicators event={event} reload={reload} />}
    </>
  );
}

function IndicatorsSection({
  event,
  indicators,
  reload,
  staff,
  members,
}: {
  event: IntelEvent;
  indicators: Indicator[];
  reload: () => void;
  staff: boolean;
  members: ReturnType<typeof useMemberNames>;
}) {
  const { t, formatDate } = useI18n();
  const words = useIntelWords();
  const report = useSightingReport(`intel-sightings-${event.id}`, staff, reload);

  return (
    <section aria-labelledby="intel-event-indicators" className="baken-section">
      <Heading2 id="intel-event-indicators">{t("intel.indicators")}</Heading2>
      {indicators.length === 0 ? (
        <Empty>{t("intel.indicatorsNone")}</Empty>
      ) : (
        <>
          <Paragraph>{t("intel.sightingsIntro")}</Paragraph>
          <SightingOptions staff={staff} members={members} choice={report.choice} onChange={report.setChoice} />
          <OutcomeAlert outcome={report.outcome} />
          <DataTable
            caption={t("intel.indicatorsTable")}
            rows={indicators}
            rowKey={(indicator) => indicator.id}
            columns={[
              {
                key: "value",
                header: t("intel.value"),
                userContent: true,
                cell: (indicator) => (
                  <Link className="utrecht-link" to={`/intel/indicators/${indicator.id}`}>
                    <Value>{indicator.value}</Value>
                  </Link>
                ),
              },
              { key: "kind", header: t("intel.kind"), cell: (indicator) => words.kind(indicator.kind) },
              { key: "tlp", header: t("intel.tlp"), cell: (indicator) => <TlpBadge tlp={indicator.tlp} /> },
              {
                key: "detection",
                header: t("intel.detection"),
                cell: (indicator) => (indicator.for_detection ? t("form.yes") : t("form.no")),
              },
              {
                key: "until",
                header: t("intel.validUntil"),
                cell: (indicator) => (indicator.valid_until ? formatDate(indicator.valid_until) : t("intel.noneValue")),
              },
              {
                key: "sightings",
                header: t("intel.sightingsColumn"),
                cell: (indicator) => (
                  <SightingCounts seen={indicator.seen} falsePositives={indicator.false_positives} expired={indicator.expired} />
                ),
              },
              {
                key: "actions",
                header: t("form.actions"),
                actions: true,
                cell: (indicator) => (
                  <SightingButtons value={indicator.value} busy={report.busy} onSighting={(kind) => report.send(indicator, kind)} />
                ),
              },
            ]}
          />
        </>
      )}
    </section>
  );
}

function AddIndicators({ event, reload }: { event: IntelEvent; reload: () => void }) {
  const { t, formatNumber } = useI18n();
  const [rows, setRows] = useState<IndicatorRow[]>([emptyIndicatorRow()]);
  const [problems, setProblems] = useState<Map<number, RowProblem[]>>(new Map());
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useOutcome(`intel-add-${event.id}`);

  async function submit(form: FormEvent) {
    form.preventDefault();
    setOutcome(null);
    setProblems(new Map());
    const { indicators, rowOf } = indicatorsBody(rows);
    if (indicators.length === 0) {
      setOutcome(refusedHere(t("intel.nothingToAdd")));
      return;
    }
    setBusy(true);
    try {
      const reply = await api<{ added: number[] }>(`/intel/events/${event.id}/indicators`, {
        method: "POST",
        body: { indicators },
      });
      const count = reply.added.length;
      setRows([emptyIndicatorRow()]);
      setOutcome(done(count === 1 ? t("intel.addedOne") : t("intel.addedMany", { count: formatNumber(count) })));
      reload();
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        const placed = placeProblems(problemsOf(error), rowOf);
        setProblems(placed.rows);
        setOutcome(placed.other.length > 0 || placed.fields.size > 0 ? refused(error) : refusedHere(t("intel.fixFields")));
      } else {
        setOutcome(refused(error));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="intel-add" className="baken-section">
      <Heading2 id="intel-add">{t("intel.addHeading")}</Heading2>
      <Paragraph>{t("intel.addIntro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form baken-form--wide" noValidate onSubmit={(form) => void submit(form)}>
        <IndicatorRows id="intel-add-indicator" rows={rows} onChange={setRows} problems={problems} />
        <Button type="submit" appearance="primary-action-button" disabled={busy}>
          {t("form.add")}
        </Button>
      </form>
    </section>
  );
}
