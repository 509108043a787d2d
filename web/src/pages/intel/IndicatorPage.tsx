// One indicator (GET /intel/indicators/{id}): its value, kind and TLP, its event, how often it
// was seen, found harmless or expired, the same value in other events, and on request the
// findings of the feeds that hold it; a sighting is reported here as on the event's page. Analysts also read whose system the value names (the
// member and its claim) and every sighting with its member and whether it may be named.
import { DataList, DataListItem, DataListKey, DataListValue, Heading2, Paragraph, UnorderedList, UnorderedListItem } from "@utrecht/component-library-react";
import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import type { IndicatorDetail } from "../../api";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../messages";
import { useResource } from "../../resource";
import { isStaff, useSignedIn } from "../../session";
import { OutcomeAlert } from "../../components/Outcome";
import { PageHeading } from "../../components/PageHeading";
import { Empty, Show } from "../../components/States";
import { DataTable } from "../../components/Table";
import { TlpBadge } from "../../components/TlpBadge";
import { UserText } from "../../components/UserText";
import { FeedMatches } from "./FeedMatches";
import { SightingButtons, SightingOptions, Value, useIntelWords, useMemberNames, useSightingReport } from "./shared";

export function IndicatorPage() {
  const { id = "" } = useParams();
  const [indicator, reload] = useResource<IndicatorDetail>(`/intel/indicators/${encodeURIComponent(id)}`);
  return <Show resource={indicator} render={(shown) => <IndicatorView indicator={shown} reload={reload} />} />;
}

function IndicatorView({ indicator, reload }: { indicator: IndicatorDetail; reload: () => void }) {
  const { t, formatDate, formatDateTime, formatNumber } = useI18n();
  const session = useSignedIn();
  const staff = isStaff(session);
  const words = useIntelWords();
  const members = useMemberNames(staff);
  const report = useSightingReport(`intel-indicator-${indicator.id}`, staff, reload);

  const rows: [string, ReactNode][] = [
    [t("intel.value"), <Value>{indicator.value}</Value>],
    [t("intel.kind"), words.kind(indicator.kind)],
    [t("intel.tlp"), <TlpBadge tlp={indicator.tlp} />],
    [
      t("intel.event"),
      <Link className="utrecht-link" to={`/intel/events/${indicator.event}`}>
        <UserText>{indicator.event_title || t("intel.eventLink", { id: indicator.event })}</UserText>
      </Link>,
    ],
    [t("intel.detection"), indicator.for_detection ? t("form.yes") : t("form.no")],
    [t("intel.validUntil"), indicator.valid_until ? formatDate(indicator.valid_until) : t("intel.noneValue")],
  ];
  if (indicator.first_seen) rows.push([t("intel.firstSeen"), formatDateTime(indicator.first_seen)]);
  if (indicator.last_seen) rows.push([t("intel.lastSeen"), formatDateTime(indicator.last_seen)]);
  rows.push([t("intel.seenCount"), formatNumber(indicator.seen)]);
  rows.push([t("intel.falsePositiveCount"), formatNumber(indicator.false_positives)]);
  rows.push([t("intel.expiredCount"), formatNumber(indicator.expired)]);
  if (indicator.comment) rows.push([t("intel.comment"), <UserText>{indicator.comment}</UserText>]);
  if (indicator.group_name) rows.push([t("intel.group"), <UserText>{indicator.group_name}</UserText>]);
  if (indicator.tags.length > 0) rows.push([t("intel.tags"), <UserText>{indicator.tags.join(", ")}</UserText>]);

  const sightings = Array.isArray(indicator.sightings) ? indicator.sightings : null;
  return (
    <>
      <PageHeading title={`${t("intel.indicatorTitle")} ${indicator.value}`}>
        {t("intel.indicatorTitle")} <Value>{indicator.value}</Value>
      </PageHeading>
      <section aria-labelledby="indicator-details" className="baken-section">
        <Heading2 id="indicator-details">{t("intel.details")}</Heading2>
        <DataList>
          {rows.map(([key, value]) => (
            <DataListItem key={key}>
              <DataListKey>{key}</DataListKey>
              <DataListValue>{value}</DataListValue>
            </DataListItem>
          ))}
        </DataList>
      </section>
      <section aria-labelledby="indicator-sighting" className="baken-section">
        <Heading2 id="indicator-sighting">{t("intel.sightingsHeading")}</Heading2>
        <Paragraph>{t("intel.sightingsIntroOne")}</Paragraph>
        <SightingOptions staff={staff} members={members} choice={report.choice} onChange={report.setChoice} />
        <SightingButtons value={indicator.value} busy={report.busy} onSighting={(kind) => report.send(indicator, kind)} />
        <OutcomeAlert outcome={report.outcome} />
      </section>
      <section aria-labelledby="indicator-related" className="baken-section">
        <Heading2 id="indicator-related">{t("intel.related")}</Heading2>
        {indicator.related.length === 0 ? (
          <Empty>{t("intel.relatedNone")}</Empty>
        ) : (
          <UnorderedList>
            {indicator.related.map((other) => (
              <UnorderedListItem key={other.id}>
                <Link className="utrecht-link" to={`/intel/indicators/${other.id}`}>
                  {t("intel.relatedLink", { event: other.event, id: other.id })}
                </Link>
              </UnorderedListItem>
            ))}
          </UnorderedList>
        )}
      </section>
      <FeedMatches key={indicator.id} of="indicator" id={indicator.id} staff={staff} nameOf={members.nameOf} />
      {staff && indicator.owner !== undefined && (
        <section aria-labelledby="indicator-owner" className="baken-section">
          <Heading2 id="indicator-owner">{t("intel.owner")}</Heading2>
          {indicator.owner === null ? (
            <Paragraph>{t("intel.ownerNone")}</Paragraph>
          ) : (
            <Paragraph data-testid="indicator-owner">
              <Link className="utrecht-link" to={`/members/${encodeURIComponent(indicator.owner.member)}`}>
                <UserText>{members.nameOf(indicator.owner.member)}</UserText>
              </Link>
              {", "}
              {t("intel.ownerVia", { reason: claimWord(t, indicator.owner.reason) })} <Value>{indicator.owner.claim}</Value>
            </Paragraph>
          )}
          {indicator.registry && (
            <Paragraph data-testid="indicator-registry">
              {t("intel.registryNetwork")} <Value>{indicator.registry.object}</Value>
              {", "}
              {t("intel.registryAbuse")} <Value>{indicator.registry.abuse}</Value>
            </Paragraph>
          )}
          {indicator.incidents && indicator.incidents.length > 0 && (
            <>
              <Paragraph>{t("intel.incidentsNaming")}</Paragraph>
              <ul data-testid="indicator-incidents">
                {indicator.incidents.map((incident) => (
                  <li key={incident.id}>
                    <Link className="utrecht-link" to={`/incidents/${incident.id}`}>
                      <UserText>{incident.title}</UserText>
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      {sightings && (
        <section aria-labelledby="indicator-sightings" className="baken-section">
          <Heading2 id="indicator-sightings">{t("intel.sightingsTable")}</Heading2>
          {sightings.length === 0 ? (
            <Empty>{t("intel.sightingsNone")}</Empty>
          ) : (
            <DataTable
              caption={t("intel.sightingsTable")}
              rows={sightings}
              rowKey={(sighting) => sighting.id}
              columns={[
                { key: "kind", header: t("intel.sightingKindColumn"), cell: (sighting) => words.sighting(sighting.kind) },
                { key: "at", header: t("intel.sightingAt"), cell: (sighting) => formatDateTime(sighting.at) },
                { key: "count", header: t("intel.sightingCount"), numeric: true, cell: (sighting) => formatNumber(sighting.count) },
                {
                  key: "member",
                  header: t("intel.sightingMemberColumn"),
                  cell: (sighting) =>
                    sighting.member ? <UserText>{members.nameOf(sighting.member)}</UserText> : t("intel.sightingFromOutside"),
                },
                {
                  key: "named",
                  header: t("intel.sightingNamedColumn"),
                  cell: (sighting) => (sighting.member ? (sighting.named ? t("form.yes") : t("form.no")) : t("intel.noneValue")),
                },
                {
                  key: "source",
                  header: t("intel.source"),
                  userContent: true,
                  cell: (sighting) => sighting.source || t("intel.noneValue"),
                },
              ]}
            />
          )}
        </section>
      )}
    </>
  );
}

// "netblock" as "IP-reeks": the claim kinds' words the member pages use.
function claimWord(t: (key: MessageKey) => string, reason: string): string {
  return ["netblock", "asn", "domain"].includes(reason) ? t(`claimKind.${reason}` as MessageKey) : reason;
}
