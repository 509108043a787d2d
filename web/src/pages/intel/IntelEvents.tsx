// The intel events the reader may receive (decision 0023), newest first, searched by a word of
// the title; from here a member or analyst shares a new event, an analyst imports a partner's
// document or reaches the MISP feeds Baken follows, and everyone searches indicators or reaches
// the feed for their systems.
import { FormFieldTextbox, Paragraph } from "@utrecht/component-library-react";
import { Link } from "react-router";
import type { IntelEvent, IntelEventsReply } from "../../api";
import { useI18n } from "../../i18n";
import { useServerList } from "../../serverList";
import { isStaff, useSignedIn } from "../../session";
import { ListCount, ListFilters } from "../../components/ListFilters";
import { PageHeading } from "../../components/PageHeading";
import { Pager } from "../../components/Pager";
import { Empty, ErrorState, Loading } from "../../components/States";
import { DataTable } from "../../components/Table";
import { TlpBadge } from "../../components/TlpBadge";
import { Creator, useIntelWords, useMemberNames } from "./shared";

// The API sorts newest first and offers no other order.
const kListOptions = {
  filters: ["q"] as const,
  sorts: { created: (): Record<string, string> => ({}) },
  defaultSort: { key: "created", direction: "descending" as const },
  rows: (reply: IntelEventsReply) => reply.events,
};

export function IntelEvents() {
  const { t, formatDate, formatNumber } = useI18n();
  const session = useSignedIn();
  const staff = isStaff(session);
  const words = useIntelWords();
  const members = useMemberNames(staff);
  const list = useServerList<IntelEventsReply, IntelEvent>({ ...kListOptions, path: "/intel/events" });
  const total = list.total;
  const count =
    total === 1
      ? t(list.filtered ? "intel.eventsCountFilteredOne" : "intel.eventsCountOne")
      : t(list.filtered ? "intel.eventsCountFiltered" : "intel.eventsCount", { count: formatNumber(total) });
  return (
    <>
      <PageHeading title={t("intel.title")} />
      <Paragraph>{t(staff ? "intel.introStaff" : "intel.intro")}</Paragraph>
      <div className="baken-actions">
        <Link className="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action" to="/intel/new">
          {t("intel.share")}
        </Link>
        {staff && (
          <Link className="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action" to="/intel/import">
            {t("intel.import")}
          </Link>
        )}
      </div>
      <Paragraph>
        <Link className="utrecht-link" to="/intel/indicators">
          {t("intel.searchIndicators")}
        </Link>
        {" · "}
        <Link className="utrecht-link" to="/intel/feed">
          {t(staff ? "intel.feedLinkStaff" : "intel.feedLink")}
        </Link>
        {staff && (
          <>
            {" · "}
            <Link className="utrecht-link" to="/intel/followed">
              {t("intel.followedLink")}
            </Link>
          </>
        )}
      </Paragraph>
      <ListFilters
        list={list}
        label={t("intel.filters")}
        fields={(draft, set) => (
          <FormFieldTextbox
            id="intel-q"
            type="search"
            label={t("list.search")}
            description={t("intel.searchHint")}
            value={draft.q ?? ""}
            onChange={(event) => set("q", (event.target as HTMLInputElement).value)}
          />
        )}
      />
      {list.status === "loading" ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : (
        <section aria-labelledby="intel-results" className="baken-section">
          <ListCount list={list} id="intel-results" text={count} />
          {total === 0 ? (
            <Empty>{list.filtered ? t("intel.eventsNoneMatch") : t("intel.eventsNone")}</Empty>
          ) : (
            <DataTable
              caption={t("intel.eventsTable")}
              rows={list.rows}
              busy={list.busy}
              rowKey={(event) => event.id}
              pager={<Pager label={t("pager.label", { list: t("intel.eventsTable") })} {...list.pager} />}
              columns={[
                {
                  key: "title",
                  header: t("intel.fieldTitle"),
                  userContent: true,
                  cell: (event) => (
                    <Link className="utrecht-link" to={`/intel/events/${event.id}`}>
                      {event.title}
                    </Link>
                  ),
                },
                { key: "tlp", header: t("intel.tlp"), cell: (event) => <TlpBadge tlp={event.tlp} /> },
                { key: "distribution", header: t("intel.distribution"), cell: (event) => words.distribution(event.distribution) },
                { key: "creator", header: t("intel.creator"), cell: (event) => <Creator event={event} nameOf={members.nameOf} /> },
                { key: "source", header: t("intel.source"), cell: (event) => words.source(event.source_kind) },
                {
                  key: "indicators",
                  header: t("intel.indicators"),
                  numeric: true,
                  cell: (event) => formatNumber(event.indicator_count ?? 0),
                },
                { key: "date", header: t("intel.date"), cell: (event) => formatDate(event.date ?? event.created_at) },
              ]}
            />
          )}
        </section>
      )}
    </>
  );
}
