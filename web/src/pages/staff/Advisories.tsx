// The advisories Baken holds, and per advisory which members' assets it matches.
import { Heading2, Paragraph } from "@utrecht/component-library-react";
import { Link, useParams } from "react-router";
import type { Advisory, AdvisoryMatch } from "../../api";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../messages";
import { useResource } from "../../resource";
import { DataTable } from "../../components/Table";
import { Empty, Show } from "../../components/States";
import { PageHeading } from "../../components/PageHeading";
import { riskLabel } from "../../labels";
import { Remediations } from "../../components/Remediations";

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
            <DataTable
              caption={t("advisories.title")}
              rows={list}
              rowKey={(advisory) => `${advisory.publisher ?? ""}/${advisory.id}`}
              columns={[
                {
                  key: "id",
                  header: t("advisories.id"),
                  cell: (advisory) => (
                    <>
                      <Link className="utrecht-link" to={`/advisories/${encodeURIComponent(advisory.id)}`}>
                        {advisory.id}
                      </Link>
                      <br />
                      {advisory.title}
                    </>
                  ),
                },
                { key: "publisher", header: t("advisories.publisher"), cell: (advisory) => advisory.publisher ?? "—" },
                { key: "tlp", header: "TLP", cell: (advisory) => advisory.tlp ?? "—" },
                {
                  key: "released",
                  header: t("advisories.released"),
                  cell: (advisory) => formatDateTime(advisory.current_release),
                },
              ]}
            />
          )
        }
      />
    </>
  );
}

export function AdvisoryDetail() {
  const { t, language } = useI18n();
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
              rows={matches}
              rowKey={(match, index) => `${match.member}/${match.asset}/${index}`}
              columns={[
                { key: "member", header: t("members.member"), cell: (match) => match.member },
                { key: "asset", header: t("assets.name"), cell: (match) => match.asset },
                {
                  key: "outcome",
                  header: t("warnings.outcome"),
                  cell: (match) => t(`outcome.${match.outcome}` as MessageKey),
                },
                {
                  key: "risk",
                  header: t("warnings.risk"),
                  cell: (match) => (match.risk ? riskLabel(language, match.risk) : "—"),
                },
                {
                  key: "remediation",
                  header: t("warnings.remediation"),
                  cell: (match) => (match.remediations?.length ? <Remediations lines={match.remediations} /> : "—"),
                },
              ]}
            />
          )}
        </>
      )}
    />
  );
}
