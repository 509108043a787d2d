// Vulnerability warnings issued to the member (an analyst sees every member's).
import {
  Heading2,
  Paragraph,
  UnorderedList,
  UnorderedListItem,
} from "@utrecht/component-library-react";
import { Link, useParams } from "react-router";
import type { Warning, WarningFinding } from "../api";
import { useI18n } from "../i18n";
import { useResource } from "../resource";
import { DataTable } from "../components/Table";
import { Empty, Show } from "../components/States";
import { isStaff, useSignedIn } from "../session";
import { PageHeading } from "../components/PageHeading";
import { riskLabel } from "../labels";
import { Remediations } from "../components/Remediations";

export function WarningTable({ warnings, caption }: { warnings: Warning[]; caption: string }) {
  const { t, formatDateTime, language } = useI18n();
  const staff = isStaff(useSignedIn());
  return (
    <DataTable
      caption={caption}
      rows={warnings}
      rowKey={(warning) => warning.id}
      columns={[
        ...(staff ? [{ key: "member", header: t("members.member"), cell: (warning: Warning) => warning.member }] : []),
        {
          key: "advisory",
          header: t("warnings.advisory"),
          cell: (warning) => (
            <>
              <Link className="utrecht-link" to={`/warnings/${warning.id}`}>
                {warning.advisory}
              </Link>
              <br />
              {warning.title}
              {warning.revised && ` (${t("warnings.revised")})`}
            </>
          ),
        },
        { key: "risk", header: t("warnings.risk"), cell: (warning) => riskLabel(language, warning.risk) },
        { key: "affected", header: t("warnings.affected"), numeric: true, cell: (warning) => warning.affected },
        { key: "unknown", header: t("warnings.unknown"), numeric: true, cell: (warning) => warning.unknown },
        { key: "tlp", header: t("warnings.tlp"), cell: (warning) => `TLP:${warning.tlp}` },
        { key: "issued", header: t("warnings.issued"), cell: (warning) => formatDateTime(warning.issued_at) },
      ]}
    />
  );
}

export function Warnings() {
  const { t } = useI18n();
  const [warnings] = useResource<{ warnings: Warning[] }>("/warnings?limit=200");
  const staff = isStaff(useSignedIn());
  return (
    <>
      <PageHeading title={t("warnings.title")} />
      <Paragraph>{t(staff ? "warnings.introStaff" : "warnings.intro")}</Paragraph>
      <Show
        resource={warnings}
        render={({ warnings: list }) =>
          list.length === 0 ? (
            <Empty>{t("warnings.none")}</Empty>
          ) : (
            <WarningTable warnings={list} caption={t("warnings.title")} />
          )
        }
      />
    </>
  );
}

export function WarningDetail() {
  const { t, formatDateTime, language } = useI18n();
  const { id = "" } = useParams();
  const [detail] = useResource<Warning & { findings: WarningFinding[] }>(
    `/warnings/${encodeURIComponent(id)}`,
  );
  return (
    <Show
      resource={detail}
      render={(warning) => (
        <>
          <PageHeading title={`${warning.advisory}: ${warning.title}`} />
          <Paragraph>
            {t("warnings.summary", {
              risk: riskLabel(language, warning.risk),
              tlp: warning.tlp,
              when: formatDateTime(warning.issued_at),
            })}
          </Paragraph>
          {warning.changes.length > 0 && (
            <>
              <Heading2>{t("warnings.changes")}</Heading2>
              <UnorderedList>
                {warning.changes.map((change) => (
                  <UnorderedListItem key={change}>{change}</UnorderedListItem>
                ))}
              </UnorderedList>
            </>
          )}
          <Heading2>{t("warnings.assets")}</Heading2>
          {warning.findings.length === 0 ? (
            <Empty>{t("warnings.noAssets")}</Empty>
          ) : (
            <DataTable
              caption={t("warnings.assets")}
              rows={warning.findings}
              rowKey={(finding) => `${finding.asset}/${finding.product_id}`}
              columns={[
                { key: "asset", header: t("assets.name"), cell: (finding) => finding.asset },
                { key: "outcome", header: t("warnings.outcome"), cell: (finding) => t(`outcome.${finding.outcome}`) },
                { key: "risk", header: t("warnings.risk"), cell: (finding) => riskLabel(language, finding.risk) },
                { key: "cve", header: "CVE", cell: (finding) => finding.cves.join(", ") },
                {
                  key: "remediation",
                  header: t("warnings.remediation"),
                  cell: (finding) =>
                    finding.remediations.length === 0 ? (
                      t("warnings.noRemediation")
                    ) : (
                      <Remediations lines={finding.remediations} />
                    ),
                },
              ]}
            />
          )}
        </>
      )}
    />
  );
}
