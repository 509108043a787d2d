// An analyst uploads one feed file; Baken parses, routes and stores it and says what came of it.
// The file goes out with its progress shown (and can be stopped while it is sent), then the
// server works; a file Baken could not read at all is a refusal, not a result of zeros. Below,
// the latest uploads of everyone, from the audit log.
import { Alert, Button, DataList, DataListItem, DataListKey, DataListValue, Heading2, Paragraph } from "@utrecht/component-library-react";
import { useEffect, useRef, useState } from "react";
import type { FormEvent, RefObject } from "react";
import reports from "virtual:shadowserver-reports";
import { UploadCancelled, upload } from "../../api";
import type { AuditEntry, IngestSummary } from "../../api";
import { formatBytes, useI18n } from "../../i18n";
import { isKnownProblem, problemSentence } from "../../problems";
import { useResource } from "../../resource";
import { DataTable } from "../../components/Table";
import { FormFieldFile } from "../../components/FormFieldFile";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import type { Outcome } from "../../components/Outcome";
import { PageHeading } from "../../components/PageHeading";
import { Empty, Show } from "../../components/States";
import { feedName } from "../../labels";
import { UserText } from "../../components/UserText";

const kTlp = ["", "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"] as const;
// Audit lines read for the history: every kind of action is among them, uploads are a part.
const kAuditLines = 500;
const kHistoryRows = 20;

type Phase =
  | { step: "idle" }
  | { step: "sending"; file: string; sent: number; total: number; cancel: () => void }
  | { step: "processing"; file: string; total: number };

type ProblemRow = IngestSummary["errors"][number];

// Why nothing was stored from a file, or null when something was read.
type Refusal = "unrecognised" | "allRejected" | "empty";

function refusalOf(summary: Pick<IngestSummary, "parsed" | "rejected" | "errors">): Refusal | null {
  if (summary.parsed > 0) return null;
  // A problem without a line is about the whole file: it was not read as a feed at all.
  if ((summary.errors ?? []).some((problem) => problem.line === null)) return "unrecognised";
  return summary.rejected > 0 ? "allRejected" : "empty";
}

function contentTypeOf(name: string): string {
  if (name.endsWith(".gz")) return "application/gzip";
  return /\.(jsonl?|ndjson)$/.test(name) ? "application/x-ndjson" : "text/csv";
}

export function Upload() {
  const { t, language } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [tlp, setTlp] = useState<(typeof kTlp)[number]>("");
  const [report, setReport] = useState("");
  const [fileError, setFileError] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ step: "idle" });
  const [result, setResult] = useState<{ file: string; summary: IngestSummary } | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [history, reloadHistory] = useResource<{ entries: AuditEntry[] }>(`/audit?limit=${kAuditLines}`);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  // The result is announced by moving to it (WCAG 4.1.3).
  useEffect(() => {
    if (result) resultHeading.current?.focus();
  }, [result]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (!file) {
      setFileError(t("upload.fileMissing"));
      return;
    }
    setFileError(null);
    setResult(null);
    const query = new URLSearchParams({ name: file.name });
    if (tlp) query.set("tlp", tlp);
    if (report) {
      // A chosen report type says the file is Shadowserver's, whatever its name suggests.
      query.set("feed", "shadowserver");
      query.set("report", report);
    }
    const name = file.name;
    const request = upload<IngestSummary>(`/reports?${query.toString()}`, file, {
      contentType: contentTypeOf(name),
      onProgress: (sent, total) =>
        setPhase((now) => (now.step === "sending" ? { ...now, sent, total } : now)),
      onSent: () => setPhase({ step: "processing", file: name, total: file.size }),
    });
    setPhase({ step: "sending", file: name, sent: 0, total: file.size, cancel: request.cancel });
    try {
      setResult({ file: name, summary: await request.result });
    } catch (error) {
      setOutcome(
        error instanceof UploadCancelled ? done(t("upload.cancelled", { file: name })) : refused(error),
      );
    } finally {
      setPhase({ step: "idle" });
      reloadHistory();
    }
  }

  const busy = phase.step !== "idle";
  return (
    <>
      <PageHeading title={t("upload.title")} />
      <Paragraph>{t("upload.intro")}</Paragraph>
      <form onSubmit={(event) => void submit(event)} noValidate className="baken-form">
        <FormFieldFile
          id="feed-file"
          label={t("upload.file")}
          description={t("upload.fileHint")}
          error={fileError ?? undefined}
          accept=".csv,.json,.jsonl,.ndjson,.gz"
          disabled={busy}
          onChange={setFile}
        />
        <FormFieldSelect
          id="feed-report"
          label={t("upload.report")}
          description={t("upload.reportHint")}
          value={report}
          options={[
            { value: "", label: t("upload.reportAuto") },
            ...reports.map((type) => ({ value: type.name, label: `${feedName(language, type.feed)} (${type.name})` })),
          ]}
          onChange={setReport}
        />
        <FormFieldSelect
          id="feed-tlp"
          label={t("upload.tlp")}
          description={t("upload.tlpHint")}
          value={tlp}
          options={kTlp.map((level) => ({ value: level, label: level === "" ? t("upload.tlpDefault") : `TLP:${level}` }))}
          onChange={setTlp}
        />
        <Button type="submit" appearance="primary-action-button" busy={busy} disabled={busy}>
          {phase.step === "sending" ? t("upload.busySending") : busy ? t("upload.busy") : t("upload.submit")}
        </Button>
      </form>
      <Progress phase={phase} />
      <OutcomeAlert outcome={outcome} />
      {result && <Result file={result.file} summary={result.summary} headingRef={resultHeading} />}
      <section aria-labelledby="upload-history" className="baken-section">
        <Heading2 id="upload-history">{t("upload.history")}</Heading2>
        <Paragraph>{t("upload.historyIntro")}</Paragraph>
        <Show resource={history} render={({ entries }) => <History entries={entries} />} />
      </section>
    </>
  );
}

// While the file goes out: a bar with the share sent and a way to stop. Once it is all sent,
// that bar stays full and a second one, without an end, says the server is reading it (it
// cannot say how far the server is).
function Progress({ phase }: { phase: Phase }) {
  const { t, language } = useI18n();
  if (phase.step === "idle") return null;
  const sent = phase.step === "sending" ? phase.sent : phase.total;
  const percent = phase.total > 0 ? Math.floor((sent / phase.total) * 100) : 100;
  return (
    <div className="baken-progress">
      <label htmlFor="upload-progress">{t("upload.progress", { file: phase.file })}</label>
      <progress id="upload-progress" max={Math.max(phase.total, 1)} value={phase.total > 0 ? sent : 1} />
      {/* Read out now and then by screen readers; the bar itself moves for the eye. */}
      <Paragraph aria-live="polite" className="baken-progress__text">
        {t("upload.sending", {
          percent,
          sent: formatBytes(language, sent),
          total: formatBytes(language, phase.total),
        })}
      </Paragraph>
      {phase.step === "sending" ? (
        <Button appearance="secondary-action-button" onClick={phase.cancel}>
          {t("upload.cancel")}
        </Button>
      ) : (
        <div className="baken-progress__step" role="status">
          <label htmlFor="upload-processing">{t("upload.processingLabel", { file: phase.file })}</label>
          <progress id="upload-processing" />
          <Paragraph>{t("upload.processing", { file: phase.file })}</Paragraph>
        </div>
      )}
    </div>
  );
}

function Result({
  file,
  summary,
  headingRef,
}: {
  file: string;
  summary: IngestSummary;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  const { t, language } = useI18n();
  const refusal = refusalOf(summary);
  const problems = summary.errors.length > 0 && (
    <Problems problems={summary.errors} count={summary.error_count ?? summary.errors.length} />
  );
  if (refusal) {
    const wholeFile = summary.errors.filter((problem) => problem.line === null);
    return (
      <section aria-labelledby="upload-result" className="baken-section">
        <Alert type="error" role="alert">
          <Heading2 id="upload-result" tabIndex={-1} ref={headingRef}>
            {t("upload.refusedTitle", { file })}
          </Heading2>
          {refusal === "unrecognised" ? (
            <FileProblems problems={wholeFile} />
          ) : (
            <Paragraph>
              {refusal === "allRejected" ? t("upload.allRejected", { count: summary.rejected }) : t("upload.empty")}
            </Paragraph>
          )}
        </Alert>
        {refusal === "allRejected" && problems}
      </section>
    );
  }
  return (
    <section aria-labelledby="upload-result" className="baken-section">
      <Heading2 id="upload-result" tabIndex={-1} ref={headingRef}>
        {t("upload.summary")}
      </Heading2>
      <DataList className="baken-summary">
        {(["parsed", "routed", "unrouted", "duplicates", "rejected"] as const).map((key) => (
          <DataListItem key={key}>
            <DataListKey>{t(`upload.${key}`)}</DataListKey>
            <DataListValue>{summary[key]}</DataListValue>
          </DataListItem>
        ))}
      </DataList>
      {problems}
      {summary.notes && summary.notes.length > 0 && (
        <>
          <Paragraph>{t("upload.notes")}</Paragraph>
          <ul>
            {summary.notes.map((note, index) => (
              <li key={index}>
                <UserText>{note.file}</UserText>:{" "}
                {isKnownProblem(note.code) ? (
                  problemSentence(language, note.code, note.params)
                ) : (
                  <span lang="en">{note.note}</span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

// Why the file as a whole was not read: the server's coded reason in the reader's language;
// without a code, what usually causes it and what to do (the English reason stays in the
// console, for whoever debugs).
function FileProblems({ problems }: { problems: ProblemRow[] }) {
  const { t, language } = useI18n();
  const coded = problems.filter((problem) => isKnownProblem(problem.code));
  useEffect(() => {
    for (const problem of problems) if (!isKnownProblem(problem.code)) console.info(`upload refused: ${problem.reason}`);
  }, [problems]);
  if (coded.length === 0) return <Paragraph>{t("upload.unrecognised")}</Paragraph>;
  return (
    <>
      {coded.map((problem, index) => (
        <Paragraph key={index}>{problemSentence(language, problem.code, problem.params)}</Paragraph>
      ))}
    </>
  );
}

function Problems({ problems, count }: { problems: ProblemRow[]; count: number }) {
  const { t, language } = useI18n();
  const untranslated = problems.some((problem) => !isKnownProblem(problem.code));
  return (
    <>
      <DataTable
        caption={t("upload.problems", { count })}
        rows={problems}
        rowKey={(_, index) => index}
        columns={[
          {
            key: "line",
            header: t("upload.line"),
            numeric: true,
            cell: (problem) => problem.line ?? t("upload.wholeFile"),
          },
          {
            key: "reason",
            header: t("upload.reason"),
            cell: (problem) => {
              if (isKnownProblem(problem.code)) {
                // The line has its own column.
                const { line: _line, ...params } = problem.params ?? {};
                return problemSentence(language, problem.code, params);
              }
              return <span lang="en">{problem.reason}</span>;
            },
          },
        ]}
      />
      {untranslated && <Paragraph className="baken-hint">{t("upload.reasonsEnglish")}</Paragraph>}
    </>
  );
}

// The latest uploads from the audit log: "feed.ingest" lines, whose detail is the summary.
function History({ entries }: { entries: AuditEntry[] }) {
  const { t, formatDateTime } = useI18n();
  const uploads = entries.filter((entry) => entry.action === "feed.ingest").slice(0, kHistoryRows);
  if (uploads.length === 0) return <Empty>{t("upload.historyNone")}</Empty>;
  const who = (actor: string) => {
    if (actor.startsWith("user:")) return actor.slice("user:".length);
    if (actor.startsWith("cli:")) return t("upload.commandLine", { name: actor.slice("cli:".length) });
    return actor;
  };
  const result = (detail: unknown) => {
    const summary = detail as Partial<IngestSummary> | null;
    if (!summary || typeof summary.parsed !== "number") return "—";
    const refusal = refusalOf({ parsed: summary.parsed, rejected: summary.rejected ?? 0, errors: summary.errors ?? [] });
    if (refusal === "unrecognised") return t("upload.resultUnrecognised");
    if (refusal === "allRejected") return t("upload.resultAllRejected", { count: summary.rejected ?? 0 });
    if (refusal === "empty") return t("upload.resultEmpty");
    return t("upload.resultCounts", {
      parsed: summary.parsed,
      routed: summary.routed ?? 0,
      unrouted: summary.unrouted ?? 0,
      duplicates: summary.duplicates ?? 0,
      rejected: summary.rejected ?? 0,
    });
  };
  return (
    <DataTable
      caption={t("upload.history")}
      rows={uploads}
      rowKey={(entry) => entry.id}
      columns={[
        { key: "when", header: t("upload.when"), cell: (entry) => formatDateTime(entry.at) },
        { key: "file", header: t("upload.fileName"), cell: (entry) => entry.object },
        { key: "who", header: t("upload.who"), cell: (entry) => who(entry.actor) },
        { key: "result", header: t("upload.result"), cell: (entry) => result(entry.detail) },
      ]}
    />
  );
}
