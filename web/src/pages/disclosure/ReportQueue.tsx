// The analysts' queue of researchers' reports (decision 0020): newest first, paged and filtered
// by the server (state; "reaches no member yet", the reports that wait for an analyst to find
// where they go), with how far the organisations got and the candidates still to confirm.
import { Paragraph } from "@utrecht/component-library-react";
import { Link } from "react-router";
import type { ReportRow } from "../../api";
import { useI18n } from "../../i18n";
import { useServerList } from "../../serverList";
import { DataTable } from "../../components/Table";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { ListCount, ListFilters } from "../../components/ListFilters";
import { PageHeading } from "../../components/PageHeading";
import { Pager } from "../../components/Pager";
import { Empty, ErrorState, Loading } from "../../components/States";
import { kReportStates, useReportWords } from "./shared";

interface ReportsReply {
  reports: ReportRow[];
  total: number;
}

const kListOptions = {
  filters: ["state", "unrouted"] as const,
  // The server lists newest first and sorts no other way.
  sorts: { received: (): Record<string, string> => ({}) },
  defaultSort: { key: "received", direction: "descending" as const },
  rows: (reply: ReportsReply) => reply.reports,
};

export function ReportQueue() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const words = useReportWords();
  const list = useServerList<ReportsReply, ReportRow>({ ...kListOptions, path: "/vulnerability-reports" });
  const total = list.total;
  const count =
    total === 1
      ? t(list.filtered ? "reports.totalFilteredOne" : "reports.totalOne")
      : t(list.filtered ? "reports.totalFiltered" : "reports.total", { total: formatNumber(total) });
  return (
    <>
      <PageHeading title={t("reports.queueTitle")} />
      <Paragraph>{t("reports.queueIntro")}</Paragraph>
      <ListFilters
        list={list}
        label={t("reports.filters")}
        fields={(draft, set) => (
          <>
            <FormFieldSelect
              id="reports-state"
              label={t("incidents.state")}
              value={draft.state ?? ""}
              options={[
                { value: "", label: t("reports.anyState") },
                ...kReportStates.map((state) => ({ value: state as string, label: words.state(state) })),
              ]}
              onChange={(value) => set("state", value)}
            />
            <FormFieldSelect
              id="reports-unrouted"
              label={t("reports.unroutedOnly")}
              value={draft.unrouted ?? ""}
              options={[
                { value: "", label: t("reports.unroutedAll") },
                { value: "true", label: t("form.yes") },
              ]}
              onChange={(value) => set("unrouted", value)}
            />
          </>
        )}
      />
      {list.status === "loading" ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : (
        <section aria-labelledby="reports-results" className="baken-section">
          <ListCount list={list} id="reports-results" text={count} />
          {total === 0 ? (
            <Empty>{list.filtered ? t("reports.noneMatch") : t("reports.none")}</Empty>
          ) : (
            <DataTable
              caption={t("reports.queueTitle")}
              rows={list.rows}
              busy={list.busy}
              rowKey={(report) => report.id}
              pager={<Pager label={t("pager.label", { list: t("reports.queueTitle") })} {...list.pager} />}
              columns={[
                {
                  key: "reference",
                  header: t("reports.reference"),
                  cell: (report) => (
                    <Link className="utrecht-link baken-reference" to={`/disclosure/reports/${report.id}`}>
                      {report.reference}
                    </Link>
                  ),
                },
                { key: "title", header: t("report.fieldTitle"), userContent: true, cell: (report) => report.title },
                { key: "severity", header: t("memberReports.severity"), cell: (report) => words.severity(report.severity) },
                { key: "state", header: t("incidents.state"), cell: (report) => words.state(report.state) },
                { key: "received", header: t("reports.received"), cell: (report) => formatDateTime(report.created_at) },
                {
                  key: "notified",
                  header: t("reports.notified"),
                  numeric: true,
                  cell: (report) => formatNumber(report.organisations.notified),
                },
                {
                  key: "acknowledged",
                  header: t("reports.acknowledged"),
                  numeric: true,
                  cell: (report) => formatNumber(report.organisations.acknowledged),
                },
                { key: "fixed", header: t("reports.fixed"), numeric: true, cell: (report) => formatNumber(report.organisations.fixed) },
                { key: "proposed", header: t("reports.proposed"), numeric: true, cell: (report) => formatNumber(report.proposed) },
              ]}
            />
          )}
        </section>
      )}
    </>
  );
}
