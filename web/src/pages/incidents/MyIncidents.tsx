// The incidents a member takes part in, as its users see them: the title its participation
// has, the incident's state, the state of the member's own part, and when it last changed.
import { Paragraph } from "@utrecht/component-library-react";
import { Link } from "react-router";
import type { IncidentRow } from "../../api";
import { useI18n } from "../../i18n";
import { incidentLabel } from "../../labels";
import { useServerList } from "../../serverList";
import { ListCount } from "../../components/ListFilters";
import { PageHeading } from "../../components/PageHeading";
import { Pager } from "../../components/Pager";
import { Empty, ErrorState, Loading } from "../../components/States";
import { DataTable } from "../../components/Table";

interface IncidentsReply {
  incidents: IncidentRow[];
  total: number;
}

const kListOptions = {
  filters: [] as const,
  sorts: { updated: (): Record<string, string> => ({ sort: "-updated" }) },
  defaultSort: { key: "updated", direction: "descending" as const },
  rows: (reply: IncidentsReply) => reply.incidents,
};

export function MyIncidents() {
  const { t, language, formatDateTime, formatNumber } = useI18n();
  const list = useServerList<IncidentsReply, IncidentRow>({ ...kListOptions, path: "/incidents" });
  const total = list.total;
  return (
    <>
      <PageHeading title={t("incidents.mineTitle")} />
      <Paragraph>{t("incidents.mineIntro")}</Paragraph>
      <Paragraph>
        <Link className="utrecht-link" to="/incidents/new">
          {t("nav.reportIncident")}
        </Link>
      </Paragraph>
      {list.status === "loading" ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : (
        <section aria-labelledby="incidents-results" className="baken-section">
          <ListCount
            list={list}
            id="incidents-results"
            text={total === 1 ? t("incidents.totalOne") : t("incidents.total", { total: formatNumber(total) })}
          />
          {total === 0 ? (
            <Empty>{t("incidents.noneMine")}</Empty>
          ) : (
            <DataTable
              caption={t("incidents.mineTitle")}
              rows={list.rows}
              busy={list.busy}
              rowKey={(incident) => incident.id}
              pager={<Pager label={t("pager.label", { list: t("incidents.mineTitle") })} {...list.pager} />}
              columns={[
                {
                  key: "title",
                  header: t("incidents.fieldTitle"),
                  userContent: true,
                  cell: (incident) => (
                    <Link className="utrecht-link" to={`/incidents/${incident.id}`}>
                      {incident.title}
                    </Link>
                  ),
                },
                { key: "state", header: t("incidents.state"), cell: (incident) => incidentLabel(language, "state", incident.state) },
                {
                  key: "participation",
                  header: t("incidents.ourState"),
                  cell: (incident) =>
                    incident.participation_state ? incidentLabel(language, "state", incident.participation_state) : "—",
                },
                { key: "updated", header: t("incidents.updated"), cell: (incident) => formatDateTime(incident.updated_at) },
              ]}
            />
          )}
        </section>
      )}
    </>
  );
}
