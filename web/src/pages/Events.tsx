// Findings routed to a member (or, for analysts, those no member owns): filter, export CSV.
import {
  Button,
  FormFieldTextbox,
  Paragraph,
} from "@utrecht/component-library-react";
import { useMemo, useState } from "react";
import { useParams } from "react-router";
import type { BakenEvent, Member } from "../api";
import { csvText } from "../csv.js";
import { downloadText } from "../download";
import { useI18n } from "../i18n";
import { useResource } from "../resource";
import { DataTable } from "../components/Table";
import { Empty, NotFound, Show } from "../components/States";
import { isStaff, useSignedIn } from "../session";
import { PageHeading } from "../components/PageHeading";

const kColumns = [
  "tlp",
  "time.source",
  "feed.name",
  "classification.taxonomy",
  "classification.type",
  "source.ip",
  "source.port",
  "source.fqdn",
  "protocol.application",
] as const;
const kLimit = 1000;

function downloadCsv(events: BakenEvent[], name: string) {
  const keys = [...new Set(events.flatMap((event) => Object.keys(event)))].sort();
  downloadText(name, csvText(keys, events));
}

export function Events({ unrouted = false }: { unrouted?: boolean }) {
  const { t, formatDateTime } = useI18n();
  const { code = "" } = useParams();
  const session = useSignedIn();
  const path = unrouted
    ? `/events?unrouted=true&newest=true&limit=${kLimit}`
    : `/events?member=${encodeURIComponent(code)}&newest=true&limit=${kLimit}`;
  const [events] = useResource<{ events: BakenEvent[]; next_before: number | null }>(path);
  const [filter, setFilter] = useState("");
  // A member's people know it by name, not by its CBS code; the code stands in until the name
  // is known, or when it cannot be read.
  const [member] = useResource<Member>(unrouted ? null : `/members/${encodeURIComponent(code)}`);
  const name = !unrouted && member.status === "ready" ? member.data.name : code;

  const title = unrouted ? t("events.unroutedTitle") : t("events.title", { member: name });
  // The API would answer with an empty list; another member's page does not exist for a member.
  if (!unrouted && !isStaff(session) && session.member !== code) return <NotFound />;
  return (
    <>
      <PageHeading title={title} />
      <Paragraph>{unrouted ? t("events.unroutedIntro") : t("events.intro")}</Paragraph>
      <Show
        resource={events}
        render={({ events: list, next_before }) => (
          <EventList
            events={list}
            more={next_before !== null}
            filter={filter}
            setFilter={setFilter}
            fileName={unrouted ? "baken-unrouted.csv" : `baken-${code}-events.csv`}
            formatDateTime={formatDateTime}
          />
        )}
      />
    </>
  );
}

function EventList({
  events,
  more,
  filter,
  setFilter,
  fileName,
  formatDateTime,
}: {
  events: BakenEvent[];
  more: boolean;
  filter: string;
  setFilter: (value: string) => void;
  fileName: string;
  formatDateTime: (iso: string) => string;
}) {
  const { t } = useI18n();
  const needle = filter.trim().toLowerCase();
  const shown = useMemo(
    () =>
      needle === ""
        ? events
        : events.filter((event) =>
            kColumns.some((column) => String(event[column] ?? "").toLowerCase().includes(needle)),
          ),
    [events, needle],
  );
  if (events.length === 0) return <Empty>{t("events.none")}</Empty>;
  return (
    <>
      <div className="baken-toolbar">
        <FormFieldTextbox
          id="events-filter"
          label={t("events.filter")}
          description={t("events.filterHint")}
          value={filter}
          onChange={(event) => setFilter((event.target as HTMLInputElement).value)}
        />
        <Button appearance="secondary-action-button" onClick={() => downloadCsv(shown, fileName)}>
          {t("events.export")}
        </Button>
      </div>
      <Paragraph role="status">
        {t("events.count", { shown: shown.length, total: events.length })}
        {more && ` ${t("events.more", { limit: kLimit })}`}
      </Paragraph>
      {shown.length === 0 ? (
        <Empty>{t("events.noneMatch")}</Empty>
      ) : (
        <DataTable
          caption={t("events.tableCaption")}
          rows={shown}
          rowKey={(event, index) => String(event["baken.id"] ?? `row-${index}`)}
          columns={[
            { key: "tlp", header: t("events.tlp"), cell: (event) => `TLP:${String(event["tlp"] ?? "?")}` },
            {
              key: "time",
              header: t("events.time"),
              cell: (event) => formatDateTime(String(event["time.source"] ?? event["time.observation"] ?? "")),
            },
            { key: "feed", header: t("events.feed"), cell: (event) => String(event["feed.name"] ?? "") },
            { key: "type", header: t("events.type"), cell: (event) => String(event["classification.type"] ?? "") },
            { key: "ip", header: t("events.ip"), cell: (event) => String(event["source.ip"] ?? "") },
            { key: "port", header: t("events.port"), numeric: true, cell: (event) => String(event["source.port"] ?? "") },
            { key: "host", header: t("events.host"), cell: (event) => String(event["source.fqdn"] ?? "") },
            {
              key: "service",
              header: t("events.service"),
              cell: (event) => String(event["protocol.application"] ?? ""),
            },
          ]}
        />
      )}
    </>
  );
}
