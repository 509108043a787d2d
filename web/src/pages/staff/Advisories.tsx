// The advisories Baken holds, and per advisory which members' assets it matches.
import { Heading2, Paragraph, TableCell, TableRow } from "@utrecht/component-library-react";
import { Link, useParams } from "react-router";
import type { Advisory, AdvisoryMatch } from "../../api";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../messages";
import { useResource } from "../../resource";
import { DataTable } from "../../components/Table";
import { Empty, Show } from "../../components/States";
import { PageHeading } from "../../components/PageHeading";

export function Advisories() {
  const { t, formatDateTime } = useI18n();
  const [advisories] = useResource<{ advisories: Advisory[] }>("/advisories");
  return (
    <>
      <PageHeading title={t("advisories.title")} />
      <Show
        resource={advisories}
        render={({ advisories: list }) =>
          list.length === 0 ? (
            <Empty>{t("advisories.none")}</Empty>
          ) : (
            <DataTable caption={t("advisories.title")} headers={[t("advisories.id"), t("advisories.publisher"), "TLP", t("advisories.released")]}>
              {list.map((advisory) => (
                <TableRow key={`${advisory.publisher ?? ""}/${advisory.id}`}>
                  <TableCell>
                    <Link className="utrecht-link" to={`/advisories/${encodeURIComponent(advisory.id)}`}>
                      {advisory.id}
                    </Link>
                    <br />
                    {advisory.title}
                  </TableCell>
                  <TableCell>{advisory.publisher ?? "—"}</TableCell>
                  <TableCell>{advisory.tlp ?? "—"}</TableCell>
                  <TableCell>{formatDateTime(advisory.current_release)}</TableCell>
                </TableRow>
              ))}
            </DataTable>
          )
        }
      />
    </>
  );
}

export function AdvisoryDetail() {
  const { t } = useI18n();
  const { id = "" } = useParams();
  const [detail] = useResource<{
    advisories: (Advisory & { vulnerabilities?: { cve: string; title: string }[] })[];
    matches: AdvisoryMatch[];
  }>(`/advisories/${encodeURIComponent(id)}`);
  return (
    <Show
      resource={detail}
      render={({ advisories, matches }) => (
        <>
          <PageHeading title={id} />
          {advisories.map((advisory) => (
            <section key={`${advisory.publisher ?? ""}/${advisory.id}`} className="baken-section">
              <Heading2>{advisory.title ?? advisory.id}</Heading2>
              <Paragraph>
                {advisory.publisher} · TLP:{advisory.tlp ?? "—"} ·{" "}
                {(advisory.vulnerabilities ?? []).map((v) => v.cve).filter(Boolean).join(", ")}
              </Paragraph>
            </section>
          ))}
          <Heading2>{t("advisories.matches")}</Heading2>
          {matches.length === 0 ? (
            <Empty>{t("advisories.noMatches")}</Empty>
          ) : (
            <DataTable
              caption={t("advisories.matches")}
              headers={[t("members.member"), t("assets.name"), t("warnings.outcome"), t("warnings.risk"), t("warnings.remediation")]}
            >
              {matches.map((match, index) => (
                <TableRow key={index}>
                  <TableCell>{match.member}</TableCell>
                  <TableCell>{match.asset}</TableCell>
                  <TableCell>{t(`outcome.${match.outcome}` as MessageKey)}</TableCell>
                  <TableCell>{match.risk ? t(`risk.${match.risk}` as MessageKey) : "—"}</TableCell>
                  <TableCell>{(match.remediations ?? []).join("; ") || "—"}</TableCell>
                </TableRow>
              ))}
            </DataTable>
          )}
        </>
      )}
    />
  );
}
