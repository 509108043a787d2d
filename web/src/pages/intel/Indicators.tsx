// Searching the indicators the reader may receive (GET /intel/indicators): a part of the value,
// a kind, only those for detection; each leads to the indicator's page.
import { FormFieldTextbox, Paragraph } from "@utrecht/component-library-react";
import { Link } from "react-router";
import type { Indicator, IndicatorsReply } from "../../api";
import { useI18n } from "../../i18n";
import { kIndicatorKinds } from "../../intel.js";
import { useServerList } from "../../serverList";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { ListCount, ListFilters } from "../../components/ListFilters";
import { PageHeading } from "../../components/PageHeading";
import { Pager } from "../../components/Pager";
import { Empty, ErrorState, Loading } from "../../components/States";
import { DataTable } from "../../components/Table";
import { TlpBadge } from "../../components/TlpBadge";
import { SightingCounts, Value, useIntelWords } from "./shared";

// The API sorts newest first and offers no other order.
const kListOptions = {
  filters: ["q", "kind", "detection"] as const,
  sorts: { created: (): Record<string, string> => ({}) },
  defaultSort: { key: "created", direction: "descending" as const },
  rows: (reply: IndicatorsReply) => reply.indicators,
};

export function Indicators() {
  const { t, formatNumber } = useI18n();
  const words = useIntelWords();
  const list = useServerList<IndicatorsReply, Indicator>({ ...kListOptions, path: "/intel/indicators" });
  const total = list.total;
  const count =
    total === 1
      ? t(list.filtered ? "intel.indicatorsCountFilteredOne" : "intel.indicatorsCountOne")
      : t(list.filtered ? "intel.indicatorsCountFiltered" : "intel.indicatorsCount", { count: formatNumber(total) });
  return (
    <>
      <PageHeading title={t("intel.indicatorsTitle")} />
      <Paragraph>{t("intel.indicatorsIntro")}</Paragraph>
      <Paragraph>
        <Link className="utrecht-link" to="/intel">
          {t("intel.title")}
        </Link>
      </Paragraph>
      <ListFilters
        list={list}
        label={t("intel.indicatorFilters")}
        fields={(draft, set) => (
          <>
            <FormFieldTextbox
              id="indicators-q"
              type="search"
              label={t("intel.indicatorSearch")}
              description={t("intel.indicatorSearchHint")}
              value={draft.q ?? ""}
              onChange={(event) => set("q", (event.target as HTMLInputElement).value)}
            />
            <FormFieldSelect
              id="indicators-kind"
              label={t("intel.kind")}
              value={draft.kind ?? ""}
              options={[
                { value: "", label: t("intel.anyKind") },
                ...kIndicatorKinds.map((kind) => ({ value: kind as string, label: words.kind(kind) })),
              ]}
              onChange={(value) => set("kind", value)}
            />
            <FormFieldSelect
              id="indicators-detection"
              label={t("intel.detectionOnly")}
              value={draft.detection ?? ""}
              options={[
                { value: "", label: t("intel.detectionAll") },
                { value: "true", label: t("intel.detectionYes") },
              ]}
              onChange={(value) => set("detection", value)}
            />
          </>
        )}
      />
      {list.status === "loading" ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : (
        <section aria-labelledby="indicators-results" className="baken-section">
          <ListCount list={list} id="indicators-results" text={count} />
          {total === 0 ? (
            <Empty>{list.filtered ? t("intel.indicatorsNoneMatch") : t("intel.indicatorsNoneYet")}</Empty>
          ) : (
            <DataTable
              caption={t("intel.indicatorsList")}
              rows={list.rows}
              busy={list.busy}
              rowKey={(indicator) => indicator.id}
              pager={<Pager label={t("pager.label", { list: t("intel.indicatorsList") })} {...list.pager} />}
              columns={[
                {
                  key: "value",
                  header: t("intel.value"),
                  userContent: true,
                  cell: (indicator) => (
                    <Link className="utrecht-link" to={`/intel/indicators/${indicator.id}`}>
                      <Value>{indicator.value}</Value>
                    </Link>
                  ),
                },
                { key: "kind", header: t("intel.kind"), cell: (indicator) => words.kind(indicator.kind) },
                { key: "tlp", header: t("intel.tlp"), cell: (indicator) => <TlpBadge tlp={indicator.tlp} /> },
                {
                  key: "detection",
                  header: t("intel.detection"),
                  cell: (indicator) => (indicator.for_detection ? t("form.yes") : t("form.no")),
                },
                {
                  key: "sightings",
                  header: t("intel.sightingsColumn"),
                  cell: (indicator) => (
                    <SightingCounts seen={indicator.seen} falsePositives={indicator.false_positives} expired={indicator.expired} />
                  ),
                },
                {
                  key: "event",
                  header: t("intel.event"),
                  cell: (indicator) => (
                    <Link className="utrecht-link" to={`/intel/events/${indicator.event}`}>
                      {t("intel.eventLink", { id: indicator.event })}
                    </Link>
                  ),
                },
              ]}
            />
          )}
        </section>
      )}
    </>
  );
}
