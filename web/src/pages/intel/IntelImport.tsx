// An analyst takes in a partner's document (POST /intel/imports): a MISP event, a STIX 2.1
// bundle or a plain list, whose TLP the analyst gives since the file says none; optionally a
// distribution instead of the document's and the members named as concerned. The result says
// what was read in, what was skipped as known, and the findings it made for members.
import { Button, Heading2, Paragraph } from "@utrecht/component-library-react";
import { useEffect, useRef, useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { upload } from "../../api";
import type { IntelImportResult } from "../../api";
import { kTlpLevels } from "../../eventText";
import { useI18n } from "../../i18n";
import { kDistributions } from "../../intel.js";
import { FormFieldFile } from "../../components/FormFieldFile";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, refused } from "../../components/Outcome";
import type { Outcome } from "../../components/Outcome";
import { PageHeading } from "../../components/PageHeading";
import { DataTable } from "../../components/Table";
import { TlpBadge } from "../../components/TlpBadge";
import { NamedMembers, useIntelWords, useMemberNames } from "./shared";

type Format = "" | "misp" | "stix" | "list";

// A list is text; MISP and STIX are JSON. Without a chosen format the file's name decides the
// content type, and the server tells the format by the content.
function contentTypeOf(format: Format, name: string): string {
  if (format === "list") return "text/plain";
  if (format === "misp" || format === "stix") return "application/json";
  return /\.json$/i.test(name) ? "application/json" : "text/plain";
}

export function IntelImport() {
  const { t, formatNumber } = useI18n();
  const words = useIntelWords();
  const members = useMemberNames(true);
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<Format>("");
  const [tlp, setTlp] = useState("");
  const [distribution, setDistribution] = useState("");
  const [named, setNamed] = useState<string[]>([]);
  const [fileError, setFileError] = useState<string | null>(null);
  const [tlpError, setTlpError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [result, setResult] = useState<IntelImportResult | null>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (result) resultHeading.current?.focus();
  }, [result]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    setResult(null);
    const missingFile = file ? null : t("intel.fileMissing");
    const missingTlp = format === "list" && !tlp ? t("intel.importTlpMissing") : null;
    setFileError(missingFile);
    setTlpError(missingTlp);
    if (!file || missingTlp) {
      document.getElementById(missingFile ? "intel-file" : "intel-import-tlp")?.focus();
      return;
    }
    const query = new URLSearchParams({ name: file.name });
    if (format) query.set("format", format);
    if (tlp) query.set("tlp", tlp);
    if (distribution) query.set("distribution", distribution);
    if (named.length > 0) query.set("named", named.join(","));
    setBusy(true);
    try {
      const request = upload<IntelImportResult>(`/intel/imports?${query.toString()}`, file, {
        contentType: contentTypeOf(format, file.name),
      });
      setResult(await request.result);
    } catch (error) {
      setOutcome(refused(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeading title={t("intel.importTitle")} />
      <Paragraph>{t("intel.importIntro")}</Paragraph>
      <form className="baken-form" noValidate onSubmit={(event) => void submit(event)}>
        <FormFieldFile
          id="intel-file"
          label={t("intel.file")}
          description={t("intel.fileHint")}
          error={fileError ?? undefined}
          accept=".json,.txt,.csv,.list,text/plain,application/json"
          disabled={busy}
          onChange={setFile}
        />
        <FormFieldSelect
          id="intel-import-format"
          label={t("intel.format")}
          value={format}
          options={[
            { value: "" as Format, label: t("intel.formatAuto") },
            { value: "misp" as Format, label: t("intel.format.misp") },
            { value: "stix" as Format, label: t("intel.format.stix") },
            { value: "list" as Format, label: t("intel.format.list") },
          ]}
          onChange={setFormat}
        />
        <FormFieldSelect
          id="intel-import-tlp"
          label={t("intel.tlp")}
          description={t("intel.importTlpHint")}
          error={tlpError ?? undefined}
          value={tlp}
          options={[
            { value: "", label: t("intel.importTlpDocument") },
            ...kTlpLevels.map((level) => ({ value: level as string, label: `TLP:${level}` })),
          ]}
          onChange={setTlp}
        />
        <FormFieldSelect
          id="intel-import-distribution"
          label={t("intel.distribution")}
          description={t("intel.importDistributionHint")}
          value={distribution}
          options={[
            { value: "", label: t("intel.importDistributionDocument") },
            ...kDistributions.map((choice) => ({ value: choice as string, label: words.distribution(choice) })),
          ]}
          onChange={setDistribution}
        />
        <NamedMembers staff members={members} named={named} onChange={setNamed} />
        <Button type="submit" appearance="primary-action-button" disabled={busy}>
          {t("intel.importSubmit")}
        </Button>
        {busy && (
          <Paragraph role="status" className="baken-hint">
            {t("intel.importing")}
          </Paragraph>
        )}
      </form>
      <OutcomeAlert outcome={outcome} />
      {result && (
        <section aria-labelledby="intel-import-result" className="baken-section">
          <Heading2 id="intel-import-result" ref={resultHeading} tabIndex={-1}>
            {t("intel.importResult")}
          </Heading2>
          <Paragraph data-testid="intel-import-summary">
            {t("intel.imported", {
              format: t(`intel.format.${result.format as "misp" | "stix" | "list"}`),
              events: formatNumber(result.events.length),
              indicators: formatNumber(result.indicators),
            })}
          </Paragraph>
          {result.skipped.length > 0 && (
            <Paragraph>{t("intel.importSkipped", { count: formatNumber(result.skipped.length) })}</Paragraph>
          )}
          <Paragraph>{t("intel.importFindings", { count: formatNumber(result.findings) })}</Paragraph>
          {result.events.length > 0 && (
            <DataTable
              caption={t("intel.importEvents")}
              rows={result.events}
              rowKey={(event) => event.id}
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
                { key: "indicators", header: t("intel.indicators"), numeric: true, cell: (event) => formatNumber(event.indicators) },
                {
                  key: "problems",
                  header: t("intel.importProblems"),
                  numeric: true,
                  cell: (event) => formatNumber(event.problems.length),
                },
              ]}
            />
          )}
        </section>
      )}
    </>
  );
}
