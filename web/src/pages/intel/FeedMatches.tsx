// Whether an indicator's value (or any of an event's) turned up in the stored findings of
// Shadowserver and the other feeds (GET /intel/indicators/{id}/feed-events, /intel/events/{id}/
// feed-events): the server reads every finding of the window for it, which can take seconds, so
// the page asks only when the reader does, for the period chosen. The server answers within the
// reader's scope: a member its own findings, analysts all of them, unrouted ones too.
import { Alert, Button, Heading2, Heading3, Paragraph } from "@utrecht/component-library-react";
import { useEffect, useRef, useState } from "react";
import type { FormEvent, RefObject } from "react";
import { Link, useLocation } from "react-router";
import { api } from "../../api";
import type { IntelFeedMatch, IntelFeedMatches } from "../../api";
import { fieldLabel, typeLabel } from "../../eventText";
import { useI18n } from "../../i18n";
import { kFeedMatchDays, sortFeedMatches } from "../../intel.js";
import { FeedName } from "../../components/FeedName";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, refused } from "../../components/Outcome";
import type { Outcome } from "../../components/Outcome";
import { DataTable } from "../../components/Table";
import type { Column } from "../../components/Table";
import { UserText } from "../../components/UserText";
import { Value } from "./shared";

const kDefaultDays = 30;

type Search =
  | { status: "idle" }
  | { status: "loading"; days: number }
  | { status: "ready"; days: number; reply: IntelFeedMatches }
  // The outcome is made once, so that its alert takes the focus once.
  | { status: "error"; days: number; outcome: Outcome };

export function FeedMatches({
  of,
  id,
  staff,
  nameOf,
}: {
  // An indicator's page searches its value; an event's page all of its values, with a column
  // saying which.
  of: "indicator" | "event";
  id: number;
  staff: boolean;
  nameOf: (code: string) => string;
}) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const location = useLocation();
  // The finding's page leads back here rather than to the member's list of findings.
  const from = `${location.pathname}${location.search}`;
  const [days, setDays] = useState(kDefaultDays);
  const [search, setSearch] = useState<Search>({ status: "idle" });
  // Only the newest question's answer is shown; one that arrives after leaving is dropped.
  const asked = useRef(0);
  useEffect(
    () => () => {
      asked.current += 1;
    },
    [],
  );
  // The button is disabled while the server reads, which takes the focus away from it: the
  // answer gets it, so that a keyboard or screen reader user lands on what was found.
  const answer = useRef<HTMLHeadingElement & HTMLParagraphElement>(null);
  useEffect(() => {
    if (search.status === "ready") answer.current?.focus();
  }, [search]);

  const path = `${of === "event" ? "/intel/events" : "/intel/indicators"}/${id}/feed-events`;
  async function submit(event: FormEvent) {
    event.preventDefault();
    const mine = ++asked.current;
    setSearch({ status: "loading", days });
    try {
      const reply = await api<IntelFeedMatches>(`${path}?${new URLSearchParams({ days: String(days) }).toString()}`);
      if (mine === asked.current) setSearch({ status: "ready", days, reply });
    } catch (error) {
      if (mine === asked.current) setSearch({ status: "error", days, outcome: refused(error) });
    }
  }

  const columns: Column<IntelFeedMatch>[] = [];
  if (of === "event") {
    columns.push({
      key: "value",
      header: t("intel.value"),
      userContent: true,
      cell: (match) => (
        <Link className="utrecht-link" to={`/intel/indicators/${match.indicator}`}>
          <Value>{match.value}</Value>
        </Link>
      ),
    });
  }
  columns.push(
    { key: "field", header: t("intel.feedMatchesField"), cell: (match) => <FieldName field={match.field} /> },
    { key: "feed", header: t("events.feed"), cell: (match) => <FeedName name={match.feed} /> },
    {
      key: "type",
      header: t("events.type"),
      cell: (match) => (
        <Link className="utrecht-link" to={`/events/${match.event}`} state={{ from }}>
          {(match.classification && typeLabel(t, match.classification)) || t("intel.feedMatchesFinding", { id: match.event })}
        </Link>
      ),
    },
    { key: "received", header: t("events.received"), cell: (match) => formatDateTime(match.observed) },
  );
  if (staff) {
    columns.push({
      key: "member",
      header: t("events.member"),
      cell: (match) => (match.member ? <UserText>{nameOf(match.member)}</UserText> : t("event.noMember")),
    });
  }

  const headingId = `feed-matches-${of}`;
  const intro =
    of === "event"
      ? t(staff ? "intel.feedMatchesIntroEventStaff" : "intel.feedMatchesIntroEvent")
      : t(staff ? "intel.feedMatchesIntroStaff" : "intel.feedMatchesIntro");
  return (
    <section aria-labelledby={headingId} className="baken-section" data-testid="feed-matches">
      <Heading2 id={headingId}>{t("intel.feedMatches")}</Heading2>
      <Paragraph>{intro}</Paragraph>
      <form
        className="baken-form baken-form--inline"
        role="search"
        aria-labelledby={headingId}
        noValidate
        onSubmit={(event) => void submit(event)}
      >
        <FormFieldSelect
          id={`${headingId}-days`}
          label={t("intel.feedMatchesDays")}
          value={String(days)}
          options={kFeedMatchDays.map((choice) => ({
            value: String(choice),
            label: t("intel.feedMatchesDaysChoice", { days: formatNumber(choice) }),
          }))}
          onChange={(choice) => setDays(Number(choice))}
        />
        <Button type="submit" appearance="primary-action-button" disabled={search.status === "loading"}>
          {t("intel.feedMatchesSearch")}
        </Button>
      </form>
      {/* Present before the search, so that a screen reader announces that it is under way. */}
      <div role="status">
        {search.status === "loading" && <Paragraph className="baken-hint">{t("intel.feedMatchesSearching")}</Paragraph>}
      </div>
      {search.status === "error" && <OutcomeAlert outcome={search.outcome} />}
      {search.status === "ready" && (
        <FoundMatches
          of={of}
          days={search.days}
          reply={search.reply}
          columns={columns}
          answer={answer}
        />
      )}
    </section>
  );
}

function FoundMatches({
  of,
  days,
  reply,
  columns,
  answer,
}: {
  of: "indicator" | "event";
  days: number;
  reply: IntelFeedMatches;
  columns: Column<IntelFeedMatch>[];
  answer: RefObject<(HTMLHeadingElement & HTMLParagraphElement) | null>;
}) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const matches = sortFeedMatches(reply.matches);
  const shownDays = formatNumber(days);
  const read = (
    <Paragraph className="baken-hint" data-testid="feed-matches-read">
      {t(reply.events_read === 1 ? "intel.feedMatchesReadOne" : "intel.feedMatchesRead", {
        count: formatNumber(reply.events_read),
        since: formatDateTime(reply.since),
      })}
    </Paragraph>
  );
  const truncated = reply.truncated && (
    <Alert type="warning">
      <Paragraph>{t("intel.feedMatchesTruncated")}</Paragraph>
    </Alert>
  );
  if (matches.length === 0) {
    return (
      <>
        <Paragraph className="baken-empty" ref={answer} tabIndex={-1} data-testid="feed-matches-summary">
          {t(of === "event" ? "intel.feedMatchesNoneEvent" : "intel.feedMatchesNone", { days: shownDays })}
        </Paragraph>
        {read}
        {truncated}
      </>
    );
  }
  return (
    <>
      <Heading3 ref={answer} tabIndex={-1} data-testid="feed-matches-summary">
        {matches.length === 1
          ? t("intel.feedMatchesCountOne", { days: shownDays })
          : t("intel.feedMatchesCount", { count: formatNumber(matches.length), days: shownDays })}
      </Heading3>
      {read}
      {truncated}
      <DataTable
        caption={t(of === "event" ? "intel.feedMatchesTableEvent" : "intel.feedMatchesTable")}
        rows={matches}
        rowKey={(match) => `${match.event}-${match.indicator}`}
        columns={columns}
      />
    </>
  );
}

// A field as the finding's page names it, with its IntelMQ name: several fields share a name
// for people ("IP-adres" is the source's and the destination's).
function FieldName({ field }: { field: string }) {
  const { t } = useI18n();
  const label = fieldLabel(t, field);
  if (!label) return <UserText>{field}</UserText>;
  // The space keeps the two apart for a screen reader (the name is a block of its own on screen).
  return (
    <>
      {label}{" "}
      <span className="baken-field-name" data-user-content="">
        {field}
      </span>
    </>
  );
}
