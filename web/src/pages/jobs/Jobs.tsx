// The scheduled jobs for analysts (decision 0019): each job's state, next run, last success and
// failures in a row, and the latest runs with their outcome, so that the one on duty sees at a
// glance whether Baken's own clock is running.
import { Heading2, Paragraph, StatusBadge } from "@utrecht/component-library-react";
import type { Job, JobOutcome, JobRun, Jobs as JobsList } from "../../api";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../messages";
import { useResource } from "../../resource";
import { PageHeading } from "../../components/PageHeading";
import { Empty, Show } from "../../components/States";
import { DataTable } from "../../components/Table";
import { UserText } from "../../components/UserText";

const kOutcomeStatus: Record<JobOutcome, "success" | "danger" | "warning" | "info"> = {
  running: "info",
  ok: "success",
  failed: "danger",
  cut_off: "danger",
  interrupted: "warning",
};

export function Jobs() {
  const { t } = useI18n();
  const [jobs] = useResource<JobsList>("/jobs?limit=50");
  return (
    <>
      <PageHeading title={t("jobs.title")} />
      <Paragraph>{t("jobs.intro")}</Paragraph>
      <Show
        resource={jobs}
        render={(data) => (
          <>
            <JobTable jobs={data.jobs} />
            <RunTable runs={data.runs} />
          </>
        )}
      />
    </>
  );
}

function JobTable({ jobs }: { jobs: Job[] }) {
  const { t, formatDateTime } = useI18n();
  return (
    <section aria-labelledby="jobs-jobs" className="baken-section">
      <Heading2 id="jobs-jobs">{t("jobs.jobs")}</Heading2>
      {jobs.length === 0 ? (
        <Empty>{t("jobs.none")}</Empty>
      ) : (
        <DataTable
          caption={t("jobs.jobs")}
          rows={jobs}
          rowKey={(job) => job.name}
          columns={[
            { key: "name", header: t("jobs.job"), cell: (job) => t(`jobs.name.${job.name}` as MessageKey) },
            {
              key: "state",
              header: t("jobs.state"),
              cell: (job) =>
                job.state === "running" ? <StatusBadge status="info">{t("jobs.state.running")}</StatusBadge> : t("jobs.state.waiting"),
            },
            { key: "next", header: t("jobs.nextRun"), cell: (job) => (job.next_run ? formatDateTime(job.next_run) : "–") },
            { key: "success", header: t("jobs.lastSuccess"), cell: (job) => (job.last_success ? formatDateTime(job.last_success) : t("jobs.never")) },
            {
              key: "failures",
              header: t("jobs.failures"),
              cell: (job) => (job.failures_in_a_row > 0 ? <StatusBadge status="danger">{String(job.failures_in_a_row)}</StatusBadge> : "0"),
            },
            { key: "error", header: t("jobs.lastError"), userContent: true, cell: (job) => job.last_error ?? "–" },
          ]}
        />
      )}
    </section>
  );
}

function RunTable({ runs }: { runs: JobRun[] }) {
  const { t, formatDateTime } = useI18n();
  return (
    <section aria-labelledby="jobs-runs" className="baken-section">
      <Heading2 id="jobs-runs">{t("jobs.runs")}</Heading2>
      {runs.length === 0 ? (
        <Empty>{t("jobs.noRuns")}</Empty>
      ) : (
        <DataTable
          caption={t("jobs.runs")}
          rows={runs}
          rowKey={(run) => run.id}
          columns={[
            { key: "started", header: t("jobs.started"), cell: (run) => formatDateTime(run.started_at) },
            { key: "job", header: t("jobs.job"), cell: (run) => t(`jobs.name.${run.job}` as MessageKey) },
            {
              key: "outcome",
              header: t("jobs.outcome"),
              cell: (run) => <StatusBadge status={kOutcomeStatus[run.outcome]}>{t(`jobs.outcome.${run.outcome}` as MessageKey)}</StatusBadge>,
            },
            { key: "finished", header: t("jobs.finished"), cell: (run) => (run.finished_at ? formatDateTime(run.finished_at) : "–") },
            { key: "holder", header: t("jobs.holder"), cell: (run) => <UserText>{run.holder}</UserText> },
            { key: "error", header: t("jobs.error"), userContent: true, cell: (run) => run.error ?? "–" },
          ]}
        />
      )}
    </section>
  );
}
