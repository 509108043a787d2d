// Vulnerability warnings issued to the member (an analyst sees every member's).
import {
  Heading2,
  Paragraph,
  TableCell,
  TableRow,
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

export function WarningTable({ warnings, caption }: { warnings: Warning[]; caption: string }) {
  const { t, formatDateTime } = useI18n();
  const staff = isStaff(useSignedIn());
  return (
    <DataTable
      caption={caption}
      headers={[
        ...(staff ? [t("members.member")] : []),
        t("warnings.advisory"),
        t("warnings.risk"),
        t("warnings.affected"),
        t("warnings.unknown"),
        t("warnings.tlp"),
        t("warnings.issued"),
      ]}
    >
      {warnings.map((warning) => (
        <TableRow key={warning.id}>
          {staff && <TableCell>{warning.member}</TableCell>}
          <TableCell>
            <Link className="utrecht-link" to={`/warnings/${warning.id}`}>
              {warning.advisory}
            </Link>
            <br />
            {warning.title}
            {warning.revised && ` (${t("warnings.revised")})`}
          </TableCell>
          <TableCell>{t(`risk.${warning.risk}`)}</TableCell>
          <TableCell>{warning.affected}</TableCell>
          <TableCell>{warning.unknown}</TableCell>
          <TableCell>TLP:{warning.tlp}</TableCell>
          <TableCell>{formatDateTime(warning.issued_at)}</TableCell>
        </TableRow>
      ))}
    </DataTable>
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
  const { t, formatDateTime } = useI18n();
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
              risk: t(`risk.${warning.risk}`),
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
              headers={[
                t("assets.name"),
                t("warnings.outcome"),
                t("warnings.risk"),
                "CVE",
                t("warnings.remediation"),
              ]}
            >
              {warning.findings.map((finding) => (
                <TableRow key={`${finding.asset}/${finding.product_id}`}>
                  <TableCell>{finding.asset}</TableCell>
                  <TableCell>{t(`outcome.${finding.outcome}`)}</TableCell>
                  <TableCell>{t(`risk.${finding.risk}`)}</TableCell>
                  <TableCell>{finding.cves.join(", ")}</TableCell>
                  <TableCell>
                    {finding.remediations.length === 0
                      ? t("warnings.noRemediation")
                      : finding.remediations.join("; ")}
                  </TableCell>
                </TableRow>
              ))}
            </DataTable>
          )}
        </>
      )}
    />
  );
}
