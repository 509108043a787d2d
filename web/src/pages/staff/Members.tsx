// All members, with how fresh their data is: the analyst's start page. Paged, searched (code,
// name, domain), sorted and filtered by the server, with the true total.
import { Alert, FormFieldTextbox, Paragraph, StatusBadge } from "@utrecht/component-library-react";
import { Link } from "react-router";
import type { Member } from "../../api";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../messages";
import { useServerList } from "../../serverList";
import { DataTable } from "../../components/Table";
import type { SortDirection } from "../../components/Table";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { ListCount, ListFilters } from "../../components/ListFilters";
import { Pager } from "../../components/Pager";
import { Empty, ErrorState, Loading, ProblemText } from "../../components/States";
import { PageHeading } from "../../components/PageHeading";

const kStaleDays = 180;
const kKinds = ["gemeente", "samenwerkingsverband", "partner"] as const;

interface MembersReply {
  members: Member[];
  total: number;
}

// The day from which data counts as fresh: confirmed before it, a member needs a check.
function staleCutoff(now: number): string {
  return new Date(now - kStaleDays * 86400000).toISOString().slice(0, 10);
}

const kListOptions = {
  filters: ["q", "kind", "check"] as const,
  // "check" is the reader's word; the API asks for a date or for never-confirmed members.
  apiFilters: (filters: Record<string, string>) => {
    const { check, ...rest } = filters;
    if (check === "never") return { ...rest, never_confirmed: "true" };
    if (check === "stale") return { ...rest, confirmed_before: staleCutoff(Date.now()) };
    return rest;
  },
  sorts: {
    name: (direction: SortDirection): Record<string, string> => ({ sort: direction === "descending" ? "-name" : "name" }),
    code: (direction: SortDirection): Record<string, string> => (direction === "descending" ? { sort: "-code" } : {}),
    confirmed: (direction: SortDirection): Record<string, string> => ({
      sort: direction === "descending" ? "-confirmed" : "confirmed",
    }),
  },
  defaultSort: { key: "code", direction: "ascending" as const },
  rows: (reply: MembersReply) => reply.members,
};

export function Members() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const list = useServerList<MembersReply, Member>({ ...kListOptions, path: "/members" });
  const total = list.total;
  const count =
    total === 1
      ? t(list.filtered ? "members.totalFilteredOne" : "members.totalOne")
      : t(list.filtered ? "members.totalFiltered" : "members.total", { total: formatNumber(total) });
  const now = Date.now();
  return (
    <>
      <PageHeading title={t("members.title")} />
      <Paragraph>{t("members.intro", { days: kStaleDays })}</Paragraph>
      <ListFilters
        list={list}
        label={t("members.filters")}
        fields={(draft, set) => (
          <>
            <FormFieldTextbox
              id="members-q"
              type="search"
              label={t("list.search")}
              description={t("members.searchHint")}
              value={draft.q ?? ""}
              onChange={(event) => set("q", (event.target as HTMLInputElement).value)}
            />
            <FormFieldSelect
              id="members-kind"
              label={t("members.kind")}
              value={draft.kind ?? ""}
              options={[
                { value: "", label: t("members.anyKind") },
                ...kKinds.map((kind) => ({ value: kind as string, label: t(`memberKind.${kind}` as MessageKey) })),
              ]}
              onChange={(value) => set("kind", value)}
            />
            <FormFieldSelect
              id="members-check"
              label={t("members.confirmed")}
              value={draft.check ?? ""}
              options={[
                { value: "", label: t("members.anyCheck") },
                { value: "stale", label: t("members.checkStale", { days: kStaleDays }) },
                { value: "never", label: t("members.never") },
              ]}
              onChange={(value) => set("check", value)}
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
        <section aria-labelledby="members-results" className="baken-section">
          <ListCount list={list} id="members-results" text={count} />
          {total === 0 ? (
            <Empty>{list.filtered ? t("members.noneMatch") : t("members.none")}</Empty>
          ) : (
            <DataTable
              caption={t("members.title")}
              rows={list.rows}
              busy={list.busy}
              rowKey={(member) => member.code}
              sort={list.sort}
              onSort={list.setSort}
              pager={<Pager label={t("pager.label", { list: t("members.title") })} {...list.pager} />}
              columns={[
                {
                  key: "name",
                  header: t("members.member"),
                  sortable: true,
                  cell: (member) => (
                    <Link className="utrecht-link" to={`/members/${member.code}`}>
                      {member.name}
                    </Link>
                  ),
                },
                { key: "code", header: t("members.code"), sortable: true, cell: (member) => member.code },
                { key: "kind", header: t("members.kind"), cell: (member) => t(`memberKind.${member.kind}` as MessageKey) },
                {
                  key: "confirmed",
                  header: t("members.confirmed"),
                  sortable: true,
                  cell: (member) => {
                    const confirmed = member.data_confirmed_at ? Date.parse(member.data_confirmed_at) : NaN;
                    const stale = Number.isNaN(confirmed) || now - confirmed > kStaleDays * 86400000;
                    return (
                      <>
                        {member.data_confirmed_at ? formatDateTime(member.data_confirmed_at) : t("members.never")}
                        {stale && (
                          <>
                            {" "}
                            <StatusBadge status="warning">{t("members.stale")}</StatusBadge>
                          </>
                        )}
                      </>
                    );
                  },
                },
                {
                  key: "pending",
                  header: t("members.pending"),
                  numeric: true,
                  cell: (member) =>
                    [...(member.netblocks ?? []), ...(member.asns ?? []), ...(member.domains ?? [])].filter(
                      (claim) => claim.state === "pending",
                    ).length,
                },
                { key: "assets", header: t("members.assets"), numeric: true, cell: (member) => member.assets?.length ?? 0 },
              ]}
            />
          )}
        </section>
      )}
    </>
  );
}
