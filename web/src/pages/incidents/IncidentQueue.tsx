// The analysts' incident queue: every incident, paged, filtered and sorted by the server (state,
// open only, without a coordinator yet — the triage queue —, a word of the title), with the
// true total.
import { FormFieldTextbox, Paragraph } from "@utrecht/component-library-react";
import { Link } from "react-router";
import type { IncidentRow, IncidentState } from "../../api";
import { useI18n } from "../../i18n";
import { incidentLabel } from "../../labels";
import { useServerList } from "../../serverList";
import type { SortDirection } from "../../components/Table";
import { DataTable } from "../../components/Table";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { ListCount, ListFilters } from "../../components/ListFilters";
import { PageHeading } from "../../components/PageHeading";
import { Pager } from "../../components/Pager";
import { Empty, ErrorState, Loading } from "../../components/States";
import { Classification, actorName } from "./shared";

export const kIncidentStates: readonly IncidentState[] = ["new", "in_progress", "contained", "recovered", "evaluation", "closed"];

interface IncidentsReply {
  incidents: IncidentRow[];
  total: number;
}

const kListOptions = {
  filters: ["state", "open", "unassigned", "q"] as const,
  sorts: {
    created: (direction: SortDirection): Record<string, string> => ({
      sort: direction === "descending" ? "-created" : "created",
    }),
    updated: (): Record<string, string> => ({ sort: "-updated" }),
    priority: (): Record<string, string> => ({ sort: "priority" }),
  },
  defaultSort: { key: "created", direction: "descending" as const },
  rows: (reply: IncidentsReply) => reply.incidents,
};

export function IncidentQueue() {
  const { t, language, formatDateTime, formatNumber } = useI18n();
  const list = useServerList<IncidentsReply, IncidentRow>({ ...kListOptions, path: "/incidents" });
  const total = list.total;
  const count =
    total === 1
      ? t(list.filtered ? "incidents.totalFilteredOne" : "incidents.totalOne")
      : t(list.filtered ? "incidents.totalFiltered" : "incidents.total", { total: formatNumber(total) });
  const yesOrAll = (all: string) => [
    { value: "", label: all },
    { value: "true", label: t("form.yes") },
  ];
  return (
    <>
      <PageHeading title={t("incidents.queueTitle")} />
      <Paragraph>{t("incidents.queueIntro")}</Paragraph>
      <ListFilters
        list={list}
        label={t("incidents.filters")}
        fields={(draft, set) => (
          <>
            <FormFieldSelect
              id="incidents-state"
              label={t("incidents.state")}
              value={draft.state ?? ""}
              options={[
                { value: "", label: t("incidents.anyState") },
                ...kIncidentStates.map((state) => ({ value: state as string, label: incidentLabel(language, "state", state) })),
              ]}
              onChange={(value) => set("state", value)}
            />
            <FormFieldSelect
              id="incidents-open"
              label={t("incidents.openOnly")}
              value={draft.open ?? ""}
              options={yesOrAll(t("incidents.openAll"))}
              onChange={(value) => set("open", value)}
            />
            <FormFieldSelect
              id="incidents-unassigned"
              label={t("incidents.unassignedOnly")}
              value={draft.unassigned ?? ""}
              options={yesOrAll(t("incidents.unassignedAll"))}
              onChange={(value) => set("unassigned", value)}
            />
            <FormFieldTextbox
              id="incidents-q"
              type="search"
              label={t("list.search")}
              description={t("incidents.searchHint")}
              value={draft.q ?? ""}
              onChange={(event) => set("q", (event.target as HTMLInputElement).value)}
            />
          </>
        )}
      />
      {list.status === "loading" ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : (
        <section aria-labelledby="incidents-results" className="baken-section">
          <ListCount list={list} id="incidents-results" text={count} />
          {total === 0 ? (
            <Empty>{list.filtered ? t("incidents.noneMatch") : t("incidents.none")}</Empty>
          ) : (
            <DataTable
              caption={t("incidents.queueTitle")}
              rows={list.rows}
              busy={list.busy}
              rowKey={(incident) => incident.id}
              sort={list.sort}
              onSort={list.setSort}
              pager={<Pager label={t("pager.label", { list: t("incidents.queueTitle") })} {...list.pager} />}
              columns={[
                {
                  key: "title",
                  header: t("incidents.fieldTitle"),
                  userContent: true,
                  cell: (incident) => (
                    <Link className="utrecht-link" to={`/incidents/${incident.id}`}>
                      {`#${incident.id} ${incident.title}`}
                    </Link>
                  ),
                },
                { key: "state", header: t("incidents.state"), cell: (incident) => incidentLabel(language, "state", incident.state) },
                {
                  key: "priority",
                  header: t("incidents.priority"),
                  sortable: true,
                  cell: (incident) => incidentLabel(language, "priority", incident.priority),
                },
                {
                  key: "classification",
                  header: t("incidents.classification"),
                  cell: (incident) => <Classification classification={incident.classification} type={incident.type} />,
                },
                {
                  key: "coordinator",
                  header: t("incidents.coordinator"),
                  cell: (incident) => (incident.coordinator ? actorName(incident.coordinator) : t("incidents.noCoordinator")),
                },
                { key: "created", header: t("incidents.created"), sortable: true, cell: (incident) => formatDateTime(incident.created_at) },
                { key: "updated", header: t("incidents.updated"), sortable: true, cell: (incident) => formatDateTime(incident.updated_at) },
              ]}
            />
          )}
        </section>
      )}
    </>
  );
}
