// The overview as a dashboard: what is new since the reader's previous sign-in (kept by the
// server, so the same in every browser), open warnings by risk (highest first), and findings
// per week as a chart with its table. For a member's user everything is its own member's; an
// analyst sees every member's or chooses one (the staff overview page).
import { DataList, DataListItem, DataListKey, DataListValue, Heading2, Paragraph } from "@utrecht/component-library-react";
import { Link } from "react-router";
import type { OverviewReply, Warning } from "../api";
import { useI18n } from "../i18n";
import { riskLabel } from "../labels";
import { useResource } from "../resource";
import { Empty, Show } from "../components/States";
import { WeeklyChart } from "../components/WeeklyChart";
import { WarningTable } from "./Warnings";

const kWeeks = 12;
const kRisks = ["Urgent", "Hoog", "Normaal", "Laag"] as const;

// A warning is open unless its state says it was dealt with (states come with the warnings'
// own work; a warning without one is open).
function isOpen(warning: Warning & { state?: string }): boolean {
  return warning.state === undefined || warning.state === "open";
}

// The three parts of the dashboard, in the order a reader needs them.
export function Dashboard({ member }: { member?: string }) {
  const { t } = useI18n();
  const [overview] = useResource<OverviewReply>(overviewPath(member));
  return (
    <>
      <section aria-labelledby="since-last-visit">
        <Heading2 id="since-last-visit">{t("dashboard.since")}</Heading2>
        <Show
          resource={overview}
          render={(data) =>
            data.previous_visit ? (
              <NewCounts previous={data.previous_visit} newEvents={data.new_events} member={member} />
            ) : (
              <Paragraph>{t("dashboard.firstVisit")}</Paragraph>
            )
          }
        />
      </section>
      <OpenWarningsByRisk member={member} />
      <section aria-labelledby="per-week">
        <Heading2 id="per-week">{t("dashboard.perWeek")}</Heading2>
        <Show
          resource={overview}
          render={(data) => (
            <WeeklyChart weeks={data.weeks} caption={t("dashboard.perWeekCaption", { weeks: kWeeks })} />
          )}
        />
      </section>
    </>
  );
}

function NewCounts({ previous, newEvents, member }: { previous: string; newEvents: number; member?: string }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const [warnings] = useResource<{ warnings: Warning[] }>(`/warnings?since=${encodeURIComponent(previous)}&limit=1000`);
  return (
    <>
      <Paragraph>{t("dashboard.sinceWhen", { when: formatDateTime(previous) })}</Paragraph>
      <DataList>
        <DataListItem>
          <DataListKey>{t("dashboard.newEvents")}</DataListKey>
          <DataListValue>{formatNumber(newEvents)}</DataListValue>
        </DataListItem>
        <DataListItem>
          <DataListKey>{t("dashboard.newWarnings")}</DataListKey>
          <DataListValue>
            {warnings.status === "ready"
              ? formatNumber(warnings.data.warnings.filter((w) => !member || w.member === member).length)
              : "…"}
          </DataListValue>
        </DataListItem>
      </DataList>
    </>
  );
}

function OpenWarningsByRisk({ member }: { member?: string }) {
  const { t, language, formatNumber } = useI18n();
  const [warnings] = useResource<{ warnings: Warning[] }>("/warnings?state=open&limit=1000");
  return (
    <section aria-labelledby="open-warnings">
      <Heading2 id="open-warnings">{t("dashboard.openWarnings")}</Heading2>
      <Show
        resource={warnings}
        render={({ warnings: all }) => {
          const open = all.filter((w) => isOpen(w) && (!member || w.member === member));
          if (open.length === 0) return <Empty>{t("dashboard.noWarnings")}</Empty>;
          const ranked = [...open].sort((a, b) => kRisks.indexOf(a.risk) - kRisks.indexOf(b.risk));
          return (
            <>
              <ul className="baken-figures">
                {kRisks.map((risk) => (
                  <li key={risk}>
                    <span className="baken-figures__value">
                      {formatNumber(open.filter((w) => w.risk === risk).length)}
                    </span>
                    {riskLabel(language, risk)}
                  </li>
                ))}
              </ul>
              <WarningTable warnings={ranked.slice(0, 5)} caption={t("dashboard.openWarnings")} />
              <Link className="utrecht-link" to="/warnings">
                {t("dashboard.allWarnings")}
              </Link>
            </>
          );
        }}
      />
    </section>
  );
}

function overviewPath(member?: string): string {
  return member ? `/overview?weeks=${kWeeks}&member=${encodeURIComponent(member)}` : `/overview?weeks=${kWeeks}`;
}
