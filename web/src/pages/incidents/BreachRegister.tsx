// A member's breach register (GDPR Art. 33(5)): every data breach of its incidents, notified to
// the AP or not, with the facts and decisions; as a CSV file the server makes. Only the member's
// trusted and privacy contacts and staff read it: for anyone else the server answers 404, and
// the page says who may read it instead of "not found".
import { Alert, Paragraph } from "@utrecht/component-library-react";
import { Link, useParams } from "react-router";
import type { Breach } from "../../api";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../messages";
import { useResource } from "../../resource";
import { PageHeading } from "../../components/PageHeading";
import { Empty, ErrorState, Loading } from "../../components/States";
import { DataTable } from "../../components/Table";

export function BreachRegister() {
  const { code = "" } = useParams();
  const { t, formatDateTime, formatNumber } = useI18n();
  const [register] = useResource<{ member: string; breaches: Breach[] }>(`/members/${encodeURIComponent(code)}/breaches`);
  const csv = `/api/v1/members/${encodeURIComponent(code)}/breaches?format=csv`;
  return (
    <>
      <PageHeading title={t("register.title", { member: code })} />
      <Paragraph>{t("register.intro")}</Paragraph>
      {register.status === "loading" ? (
        <Loading />
      ) : register.status === "error" ? (
        register.error.status === 404 ? (
          <Alert type="info">
            <Paragraph>{t("register.notYours")}</Paragraph>
          </Alert>
        ) : (
          <ErrorState error={register.error} />
        )
      ) : (
        <section aria-labelledby="register-count" className="baken-section">
          <Paragraph id="register-count">
            {register.data.breaches.length === 1
              ? t("register.countOne")
              : t("register.count", { count: formatNumber(register.data.breaches.length) })}
          </Paragraph>
          <Paragraph>
            <a className="utrecht-link" href={csv} download="datalekregister.csv">
              {t("register.csv")}
            </a>
          </Paragraph>
          {register.data.breaches.length === 0 ? (
            <Empty>{t("register.none")}</Empty>
          ) : (
            <DataTable
              caption={t("register.caption")}
              rows={register.data.breaches}
              rowKey={(breach) => `${breach.incident}`}
              columns={[
                {
                  key: "incident",
                  header: t("register.incident"),
                  userContent: true,
                  cell: (breach) => (
                    <Link className="utrecht-link" to={`/incidents/${breach.incident}`}>
                      #{breach.incident} {breach.title}
                    </Link>
                  ),
                },
                { key: "aware", header: t("breach.awareAt"), cell: (breach) => formatDateTime(breach.aware_at) },
                { key: "state", header: t("register.state"), cell: (breach) => t(`breach.state.${breach.state}` as MessageKey) },
                { key: "ap", header: t("breach.apDecision"), cell: (breach) => t(`breach.ap.${breach.ap_decision}` as MessageKey) },
                { key: "reference", header: t("breach.apReference"), userContent: true, cell: (breach) => breach.ap_reference ?? "—" },
                {
                  key: "subjects",
                  header: t("breach.subjectsDecision"),
                  cell: (breach) => t(`breach.subjects.${breach.subjects_decision}` as MessageKey),
                },
                { key: "description", header: t("breach.description"), userContent: true, cell: (breach) => breach.details.description ?? "—" },
              ]}
            />
          )}
        </section>
      )}
    </>
  );
}
