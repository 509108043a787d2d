// The advisories Baken holds (a server-side list), and per advisory which members' assets it
// matches.
import { Alert, FormFieldTextbox, Heading2, Paragraph } from "@utrecht/component-library-react";
import { Link, useParams } from "react-router";
import type { Advisory, AdvisoryMatch } from "../../api";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../messages";
import { dayAfter } from "../../listState.js";
import { useResource } from "../../resource";
import { useServerList } from "../../serverList";
import { DataTable } from "../../components/Table";
import type { SortDirection } from "../../components/Table";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { ListCount, ListFilters, periodError } from "../../components/ListFilters";
import { Pager } from "../../components/Pager";
import { Empty, ErrorState, Loading, ProblemText, Show } from "../../components/States";
import { PageHeading } from "../../components/PageHeading";
import { riskLabel } from "../../labels";
import { Remediations } from "../../components/Remediations";

interface AdvisoriesReply {
  advisories: Advisory[];
  total: number;
}

const kListOptions = {
  filters: ["q", "publisher", "since", "until", "warned"] as const,
  // People mean the end date inclusively; the API's `until` is the first moment left out.
  apiFilters: (filters: Record<string, string>) =>
    filters.until ? { ...filters, until: dayAfter(filters.until) } : filters,
  sorts: {
    released: (direction: SortDirection): Record<string, string> =>
      direction === "descending" ? {} : { sort: "released" },
    id: (direction: SortDirection): Record<string, string> => ({ sort: direction === "descending" ? "-id" : "id" }),
  },
  defaultSort: { key: "released", direction: "descending" as const },
  rows: (reply: AdvisoriesReply) => reply.advisories,
};

// The advisories, newest release first, paged, searched (id, title, CVE) and filtered by the
// server, with how many warnings each gave members.
export function Advisories() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const list = useServerList<AdvisoriesReply, Advisory>({ ...kListOptions, path: "/advisories" });
  const total = list.total;
  const count =
    total === 1
      ? t(list.filtered ? "advisories.totalFilteredOne" : "advisories.totalOne")
      : t(list.filtered ? "advisories.totalFiltered" : "advisories.total", { total: formatNumber(total) });
  return (
    <>
      <PageHeading title={t("advisories.title")} />
      <ListFilters
        list={list}
        label={t("advisories.filters")}
        validate={(draft) => periodError(draft, "since", "until", t("list.periodInvalid"))}
        fields={(draft, set, refusal) => (
          <>
            <FormFieldTextbox
              id="advisories-q"
              type="search"
              label={t("list.search")}
              description={t("advisories.searchHint")}
              value={draft.q ?? ""}
              onChange={(event) => set("q", (event.target as HTMLInputElement).value)}
            />
            <FormFieldTextbox
              id="advisories-publisher"
              label={t("advisories.publisher")}
              description={t("advisories.publisherHint")}
              value={draft.publisher ?? ""}
              onChange={(event) => set("publisher", (event.target as HTMLInputElement).value)}
            />
            <FormFieldTextbox
              id="advisories-since"
              type="date"
              label={t("advisories.since")}
              value={draft.since ?? ""}
              onChange={(event) => set("since", (event.target as HTMLInputElement).value)}
            />
            <FormFieldTextbox
              id="advisories-until"
              type="date"
              label={t("advisories.until")}
              value={draft.until ?? ""}
              invalid={Boolean(refusal)}
              errorMessage={refusal ?? undefined}
              onChange={(event) => set("until", (event.target as HTMLInputElement).value)}
            />
            <FormFieldSelect
              id="advisories-warned"
              label={t("advisories.warnings")}
              value={draft.warned ?? ""}
              options={[
                { value: "", label: t("advisories.anyWarned") },
                { value: "true", label: t("advisories.onlyWarned") },
              ]}
              onChange={(value) => set("warned", value)}
            />
          </>
        )}
      />
      {list.status === "loading" ? (
        <Loading />
      ) : list.error?.status === 400 ? (
        <Alert type="error" role="alert">
          <ProblemText error={list.error} />
        </Alert>
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : (
        <section aria-labelledby="advisories-results" className="baken-section">
          <ListCount list={list} id="advisories-results" text={count} />
          {total === 0 ? (
            <Empty>{list.filtered ? t("advisories.noneMatch") : t("advisories.none")}</Empty>
          ) : (
            <DataTable
              caption={t("advisories.title")}
              rows={list.rows}
              busy={list.busy}
              rowKey={(advisory) => `${advisory.publisher ?? ""}/${advisory.id}`}
              sort={list.sort}
              onSort={list.setSort}
              pager={<Pager label={t("pager.label", { list: t("advisories.title") })} {...list.pager} />}
              columns={[
                {
                  key: "id",
                  header: t("advisories.id"),
                  sortable: true,
                  cell: (advisory) => (
                    <>
                      <Link className="utrecht-link" to={`/advisories/${encodeURIComponent(advisory.id)}`}>
                        {advisory.id}
                      </Link>
                      <br />
                      {advisory.title}
                    </>
                  ),
                },
                { key: "publisher", header: t("advisories.publisher"), cell: (advisory) => advisory.publisher ?? "—" },
                { key: "tlp", header: "TLP", cell: (advisory) => advisory.tlp ?? "—" },
                {
                  key: "released",
                  header: t("advisories.released"),
                  sortable: true,
                  cell: (advisory) => formatDateTime(advisory.current_release),
                },
                {
                  key: "warnings",
                  header: t("advisories.warnings"),
                  numeric: true,
                  cell: (advisory) => advisory.warnings ?? 0,
                },
              ]}
            />
          )}
        </section>
      )}
    </>
  );
}

export function AdvisoryDetail() {
  const { t, language } = useI18n();
  const { id = "" } = useParams();
  const [detail] = useResource<{
    advisories: (Advisory & { vulnerabilities?: { cve: string; title: string }[] })[];
    matches: AdvisoryMatch[];
  }>(`/advisories/${encodeURIComponent(id)}`);
  return (
    <Show
      resource={detail}
      render={({ advisories, matches }) => (
        <>
          <PageHeading title={id} />
          {advisories.map((advisory) => (
            <section key={`${advisory.publisher ?? ""}/${advisory.id}`} className="baken-section">
              <Heading2>{advisory.title ?? advisory.id}</Heading2>
              <Paragraph>
                {advisory.publisher} · TLP:{advisory.tlp ?? "—"} ·{" "}
                {(advisory.vulnerabilities ?? []).map((v) => v.cve).filter(Boolean).join(", ")}
              </Paragraph>
            </section>
          ))}
          <Heading2>{t("advisories.matches")}</Heading2>
          {matches.length === 0 ? (
            <Empty>{t("advisories.noMatches")}</Empty>
          ) : (
            <DataTable
              caption={t("advisories.matches")}
              rows={matches}
              rowKey={(match, index) => `${match.member}/${match.asset}/${index}`}
              columns={[
                { key: "member", header: t("members.member"), cell: (match) => match.member },
                { key: "asset", header: t("assets.name"), cell: (match) => match.asset },
                {
                  key: "outcome",
                  header: t("warnings.outcome"),
                  cell: (match) => t(`outcome.${match.outcome}` as MessageKey),
                },
                {
                  key: "risk",
                  header: t("warnings.risk"),
                  cell: (match) => (match.risk ? riskLabel(language, match.risk) : "—"),
                },
                {
                  key: "remediation",
                  header: t("warnings.remediation"),
                  cell: (match) => (match.remediations?.length ? <Remediations lines={match.remediations} /> : "—"),
                },
              ]}
            />
          )}
        </>
      )}
    />
  );
}
