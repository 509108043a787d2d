// An analyst uploads one feed file; Baken parses, routes and stores it and says what came of it.
import {
  Button,
  DataList,
  DataListItem,
  DataListKey,
  DataListValue,
  FormField,
  FormFieldDescription,
  FormFieldErrorMessage,
  FormLabel,
  Heading2,
  Paragraph,
} from "@utrecht/component-library-react";
import { useEffect, useRef, useState } from "react";
import type { FormEvent } from "react";
import { api } from "../../api";
import type { IngestSummary } from "../../api";
import { useI18n } from "../../i18n";
import { DataTable } from "../../components/Table";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, refused } from "../../components/Outcome";
import type { Outcome } from "../../components/Outcome";
import { PageHeading } from "../../components/PageHeading";

const kTlp = ["", "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"] as const;

export function Upload() {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [tlp, setTlp] = useState<(typeof kTlp)[number]>("");
  const [fileError, setFileError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<IngestSummary | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const summaryHeading = useRef<HTMLHeadingElement>(null);
  // The result is announced by moving to it (WCAG 4.1.3).
  useEffect(() => {
    if (summary) summaryHeading.current?.focus();
  }, [summary]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (!file) {
      setFileError(t("upload.fileMissing"));
      return;
    }
    setFileError(null);
    setBusy(true);
    setSummary(null);
    const query = new URLSearchParams({ name: file.name });
    if (tlp) query.set("tlp", tlp);
    try {
      setSummary(
        await api<IngestSummary>(`/reports?${query.toString()}`, {
          method: "POST",
          raw: file,
          contentType: file.name.endsWith(".gz")
            ? "application/gzip"
            : /\.jsonl?$/.test(file.name)
              ? "application/x-ndjson"
              : "text/csv",
        }),
      );
    } catch (error) {
      setOutcome(refused(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeading title={t("upload.title")} />
      <Paragraph>{t("upload.intro")}</Paragraph>
      <form onSubmit={(event) => void submit(event)} noValidate className="baken-form">
        <FormField invalid={Boolean(fileError)}>
          <FormLabel htmlFor="feed-file">{t("upload.file")}</FormLabel>
          <FormFieldDescription id="feed-file-description">{t("upload.fileHint")}</FormFieldDescription>
          {fileError && <FormFieldErrorMessage id="feed-file-error">{fileError}</FormFieldErrorMessage>}
          <input
            id="feed-file"
            type="file"
            className="baken-file"
            accept=".csv,.json,.jsonl,.gz"
            aria-invalid={Boolean(fileError)}
            aria-describedby={fileError ? "feed-file-description feed-file-error" : "feed-file-description"}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </FormField>
        <FormFieldSelect
          id="feed-tlp"
          label={t("upload.tlp")}
          value={tlp}
          options={kTlp.map((level) => ({ value: level, label: level === "" ? t("upload.tlpDefault") : `TLP:${level}` }))}
          onChange={setTlp}
        />
        <Button type="submit" appearance="primary-action-button" busy={busy} disabled={busy}>
          {busy ? t("upload.busy") : t("upload.submit")}
        </Button>
      </form>
      <OutcomeAlert outcome={outcome} />
      {summary && (
        <section aria-labelledby="upload-summary" className="baken-section">
          <Heading2 id="upload-summary" tabIndex={-1} ref={summaryHeading}>
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
          {summary.errors.length > 0 && (
            <DataTable
              caption={t("upload.problems", { count: summary.error_count ?? summary.errors.length })}
              rows={summary.errors}
              rowKey={(_, index) => index}
              columns={[
                { key: "line", header: t("upload.line"), numeric: true, cell: (problem) => problem.line ?? "—" },
                { key: "reason", header: t("upload.reason"), cell: (problem) => problem.reason },
              ]}
            />
          )}
          {summary.notes && summary.notes.length > 0 && (
            <>
              <Paragraph>{t("upload.notes")}</Paragraph>
              <ul lang="en">
                {summary.notes.map((note, index) => (
                  <li key={index}>
                    {note.file}: {note.note}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </>
  );
}
