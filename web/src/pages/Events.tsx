// Findings routed to a member (or, for analysts, those no member owns), paged, sorted and
// filtered by the server: the true total however many there are, newest received first, each
// row leading to the event's detail page, and a CSV export of what the filter selects.
import { Alert, Button, FormFieldTextbox, Heading2, Paragraph } from "@utrecht/component-library-react";
import { useEffect, useId, useMemo, useState } from "react";
import type { FormEvent, RefObject } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { ApiError, api } from "../api";
import type { BakenEvent, Member, MemberName } from "../api";
import { csvText } from "../csv.js";
import { downloadText } from "../download";
import { asnText, kEventTypes, kTlpLevels, systemOf, text, typeLabel } from "../eventText";
import { useI18n } from "../i18n";
import { dayAfter } from "../listState.js";
import { useResource } from "../resource";
import { useServerList } from "../serverList";
import type { ServerList } from "../serverList";
import { DataTable } from "../components/Table";
import type { SortDirection } from "../components/Table";
import { FormFieldSelect } from "../components/FormFieldSelect";
import { Pager } from "../components/Pager";
import { Empty, ErrorState, Loading, NotFound, ProblemText } from "../components/States";
import { OutcomeAlert, done, refused } from "../components/Outcome";
import type { Outcome } from "../components/Outcome";
import { isStaff, useSignedIn } from "../session";
import { PageHeading } from "../components/PageHeading";
import { FeedName } from "../components/FeedName";
import { feedName } from "../labels";

interface EventsReply {
  events: BakenEvent[];
  total: number;
  next_before?: number | null;
  next_after?: number | null;
}

const kFilters = ["type", "feed", "tlp", "since", "until", "q"] as const;
type Filters = Partial<Record<(typeof kFilters)[number], string>>;
// The export asks the API 1,000 events at a time; beyond this a spreadsheet is not the tool.
const kExportCap = 10_000;
const kExportBatch = 1000;

const kListOptions = {
  filters: kFilters,
  // People mean the end date inclusively; the API's `until` is the first moment left out.
  apiFilters: (filters: Record<string, string>) =>
    filters.until ? { ...filters, until: dayAfter(filters.until) } : filters,
  // The order Baken received events in is the order of their ids: the API sorts by nothing else.
  sorts: {
    received: (direction: SortDirection): Record<string, string> =>
      direction === "descending" ? { newest: "true" } : {},
  },
  defaultSort: { key: "received", direction: "descending" as const },
  rows: (reply: EventsReply) => reply.events,
};

export function Events({ unrouted = false }: { unrouted?: boolean }) {
  const { code = "" } = useParams();
  const session = useSignedIn();
  // The API would answer with an empty list; another member's page does not exist for a member.
  if (!unrouted && !isStaff(session) && session.member !== code) return <NotFound />;
  return <EventsPage key={unrouted ? "" : code} unrouted={unrouted} code={code} staff={isStaff(session)} />;
}

function EventsPage({ unrouted, code, staff }: { unrouted: boolean; code: string; staff: boolean }) {
  const { t } = useI18n();
  const list = useServerList<EventsReply, BakenEvent>({
    ...kListOptions,
    path: unrouted ? "/events?unrouted=true" : `/events?member=${encodeURIComponent(code)}`,
  });
  // A member's people know it by name, not by its CBS code; the code stands in until the name
  // is known, or when it cannot be read.
  const [member] = useResource<Member>(unrouted ? null : `/members/${encodeURIComponent(code)}`);
  const name = !unrouted && member.status === "ready" ? member.data.name : code;
  const title = unrouted ? t("events.unroutedTitle") : t("events.title", { member: name });
  return (
    <>
      <PageHeading title={title} />
      <Paragraph>{unrouted ? t("events.unroutedIntro") : t("events.intro")}</Paragraph>
      <EventFilters list={list} unrouted={unrouted} code={code} staff={staff} />
      {list.status === "loading" ? (
        <Loading />
      ) : list.error?.status === 400 ? (
        // A filter the server refuses (a hand-made link): the form above can put it right.
        <Alert type="error" role="alert">
          <ProblemText error={list.error} />
        </Alert>
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : (
        <EventResults list={list} caption={title} fileName={unrouted ? "baken-unrouted.csv" : `baken-${code}-events.csv`} />
      )}
    </>
  );
}

function EventFilters({
  list,
  unrouted,
  code,
  staff,
}: {
  list: ServerList<BakenEvent>;
  unrouted: boolean;
  code: string;
  staff: boolean;
}) {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Filters>(list.filters);
  const [memberChoice, setMemberChoice] = useState(unrouted ? "" : code);
  const [periodError, setPeriodError] = useState<string | null>(null);
  // Open where there is room, and wherever a filter is on; on a phone the list comes first.
  const [open, setOpen] = useState(() => list.filtered || window.matchMedia("(min-width: 48rem)").matches);
  // Back and forward through earlier filters show them in the form too.
  const applied = JSON.stringify(list.filters);
  useEffect(() => setDraft(JSON.parse(applied) as Filters), [applied]);
  const [members] = useResource<{ members: MemberName[] }>(staff ? "/members?fields=names" : null);
  const feedsId = useId();
  // Feed names seen so far, offered as the reader types (the API has no list of them).
  const [feeds, setFeeds] = useState<string[]>([]);
  useEffect(() => {
    setFeeds((seen) => {
      const added = list.rows.map((event) => text(event, "feed.name")).filter((feed) => feed && !seen.includes(feed));
      return added.length === 0 ? seen : [...new Set([...seen, ...added])].sort();
    });
  }, [list.rows]);

  const typeOptions = useMemo(
    () => [
      { value: "", label: t("events.anyType") },
      ...kEventTypes
        .map((type) => ({ value: type as string, label: typeLabel(t, type) }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    ],
    [t],
  );

  function set(name: keyof Filters, value: string) {
    setDraft((current) => ({ ...current, [name]: value }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const clean: Record<string, string> = {};
    for (const [name, value] of Object.entries(draft)) {
      if (value && value.trim() !== "") clean[name] = value.trim();
    }
    if (clean.since && clean.until && clean.until < clean.since) {
      setPeriodError(t("events.periodInvalid"));
      return;
    }
    setPeriodError(null);
    const target = staff ? memberChoice : code;
    if (staff && target !== (unrouted ? "" : code)) {
      const pathname = target === "" ? "/unrouted" : `/members/${encodeURIComponent(target)}/events`;
      navigate({ pathname, search: `?${list.searchWith(clean)}` });
      return;
    }
    list.setFilters(clean);
  }

  const memberOptions = [
    { value: "", label: t("events.unroutedOption") },
    ...(members.status === "ready"
      ? [...members.data.members]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((member) => ({ value: member.code, label: `${member.name} (${member.code})` }))
      : unrouted
        ? []
        : [{ value: code, label: code }]),
  ];

  const active = Object.keys(list.filters).length;
  return (
    <details className="baken-filters" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className="baken-filters__summary">
        {active > 0 ? t("events.filtersActive", { count: active }) : t("events.filtersTitle")}
      </summary>
      <form className="baken-filters__form" role="search" aria-label={t("events.filters")} noValidate onSubmit={submit}>
        <div className="baken-filters__fields">
          {staff && (
            <FormFieldSelect
              id="events-member"
              label={t("events.member")}
              value={memberChoice}
              options={memberOptions}
              onChange={setMemberChoice}
            />
          )}
          <FormFieldSelect
            id="events-type"
            label={t("events.type")}
            value={draft.type ?? ""}
            options={typeOptions}
            onChange={(value) => set("type", value)}
          />
          <FormFieldTextbox
            id="events-feed"
            label={t("events.feed")}
            description={t("events.feedHint")}
            list={feedsId}
            value={draft.feed ?? ""}
            onChange={(event) => set("feed", (event.target as HTMLInputElement).value)}
          />
          <datalist id={feedsId}>
            {feeds.map((feed) => (
              <option key={feed} value={feed}>
                {feedName(language, feed)}
              </option>
            ))}
          </datalist>
          <FormFieldSelect
            id="events-tlp"
            label={t("events.tlp")}
            value={draft.tlp ?? ""}
            options={[
              { value: "", label: t("events.anyTlp") },
              ...kTlpLevels.map((level) => ({ value: level as string, label: `TLP:${level}` })),
            ]}
            onChange={(value) => set("tlp", value)}
          />
          <FormFieldTextbox
            id="events-since"
            type="date"
            label={t("events.since")}
            value={draft.since ?? ""}
            onChange={(event) => set("since", (event.target as HTMLInputElement).value)}
          />
          <FormFieldTextbox
            id="events-until"
            type="date"
            label={t("events.until")}
            value={draft.until ?? ""}
            invalid={Boolean(periodError)}
            errorMessage={periodError ?? undefined}
            onChange={(event) => set("until", (event.target as HTMLInputElement).value)}
          />
          <FormFieldTextbox
            id="events-q"
            type="search"
            label={t("events.search")}
            description={t("events.searchHint")}
            value={draft.q ?? ""}
            onChange={(event) => set("q", (event.target as HTMLInputElement).value)}
          />
        </div>
        <div className="baken-filters__actions">
          <Button type="submit" appearance="primary-action-button">
            {t("events.apply")}
          </Button>
          {list.filtered && (
            <Button type="button" appearance="secondary-action-button" onClick={() => list.setFilters({})}>
              {t("events.clear")}
            </Button>
          )}
        </div>
      </form>
    </details>
  );
}

function EventResults({
  list,
  caption,
  fileName,
}: {
  list: ServerList<BakenEvent>;
  caption: string;
  fileName: string;
}) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const location = useLocation();
  const from = `${location.pathname}${location.search}`;
  const total = list.total;
  const count =
    total === 1
      ? t(list.filtered ? "events.totalFilteredOne" : "events.totalOne")
      : t(list.filtered ? "events.totalFiltered" : "events.total", { total: formatNumber(total) });
  return (
    <section aria-labelledby="events-results" className="baken-section">
      {/* A live region: a new filter's total is read out where it is shown. */}
      <div aria-live="polite">
        <Heading2 id="events-results" tabIndex={-1} ref={list.resultsRef as RefObject<HTMLHeadingElement>}>
          {count}
        </Heading2>
      </div>
      {total > 0 && <Export list={list} fileName={fileName} />}
      {total === 0 ? (
        <Empty>{list.filtered ? t("events.noneMatch") : t("events.none")}</Empty>
      ) : (
        <DataTable
          caption={t("events.tableCaption")}
          rows={list.rows}
          busy={list.busy}
          rowKey={(event, index) => String(event["baken.id"] ?? `row-${index}`)}
          sort={list.sort}
          onSort={list.setSort}
          pager={<Pager label={t("pager.label", { list: caption })} {...list.pager} />}
          columns={[
            {
              key: "received",
              header: t("events.received"),
              sortable: true,
              cell: (event) => formatDateTime(text(event, "time.observation")),
            },
            { key: "type", header: t("events.type"), cell: (event) => typeLabel(t, text(event, "classification.type")) },
            {
              key: "system",
              header: t("events.ip"),
              cell: (event) => (
                <Link className="utrecht-link" to={`/events/${String(event["baken.id"])}`} state={{ from }}>
                  {text(event, "source.ip") || systemOf(event) || t("events.details")}
                </Link>
              ),
            },
            { key: "port", header: t("events.port"), numeric: true, cell: (event) => text(event, "source.port") },
            { key: "host", header: t("events.host"), cell: (event) => text(event, "source.fqdn") },
            { key: "malware", header: t("events.malware"), cell: (event) => text(event, "malware.name") },
            { key: "asn", header: t("events.asn"), cell: (event) => asnText(event) },
            { key: "feed", header: t("events.feed"), cell: (event) => <FeedName name={text(event, "feed.name")} /> },
            {
              key: "observed",
              header: t("events.observed"),
              cell: (event) => (event["time.source"] ? formatDateTime(text(event, "time.source")) : ""),
            },
            { key: "tlp", header: t("events.tlp"), cell: (event) => `TLP:${text(event, "tlp") || "?"}` },
          ]}
        />
      )}
    </section>
  );
}

function downloadCsv(events: BakenEvent[], name: string) {
  const keys = [...new Set(events.flatMap((event) => Object.keys(event)))].sort();
  downloadText(name, csvText(keys, events));
}

// Everything the filter selects, in the list's order, up to kExportCap. After the first batch it
// follows the API's cursor (`before` newest first, `after` oldest first) rather than an offset,
// so that events arriving meanwhile neither repeat nor push others out of the file.
function Export({ list, fileName }: { list: ServerList<BakenEvent>; fileName: string }) {
  const { t, formatNumber } = useI18n();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);

  async function run() {
    setOutcome(null);
    const wanted = Math.min(list.total, kExportCap);
    const newest = list.sort.direction === "descending";
    const first = list.apiPathFor(0, kExportBatch);
    const rows: BakenEvent[] = [];
    setProgress({ done: 0, total: wanted });
    try {
      let path = first;
      while (rows.length < wanted) {
        const reply = await api<EventsReply>(path);
        rows.push(...reply.events.slice(0, wanted - rows.length));
        setProgress({ done: rows.length, total: wanted });
        const next = newest ? reply.next_before : reply.next_after;
        if (reply.events.length === 0 || next === null || next === undefined) break;
        path = `${first}&${newest ? "before" : "after"}=${next}`;
      }
      downloadCsv(rows, fileName);
      setOutcome(
        done(
          rows.length < list.total
            ? t("events.exportCapped", { count: formatNumber(rows.length), total: formatNumber(list.total) })
            : t("events.exported", { count: formatNumber(rows.length), file: fileName }),
        ),
      );
    } catch (error) {
      setOutcome(refused(error instanceof ApiError ? error : new ApiError(0, String(error))));
    } finally {
      setProgress(null);
    }
  }

  return (
    <div className="baken-export">
      <div className="baken-toolbar">
        <Button appearance="secondary-action-button" onClick={() => void run()} disabled={progress !== null}>
          {t("events.export")}
        </Button>
        <Paragraph className="baken-hint">
          {progress
            ? t("events.exporting", { done: formatNumber(progress.done), total: formatNumber(progress.total) })
            : t("events.exportNote", { cap: formatNumber(kExportCap) })}
        </Paragraph>
      </div>
      <OutcomeAlert outcome={outcome} />
    </div>
  );
}
