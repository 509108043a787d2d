// A member's start page: the dashboard (what is new, open warnings by risk, findings per week),
// then whether its data is still current, this week's findings by type and the e-mails sent.
import {
  Alert,
  Button,
  DataList,
  DataListItem,
  DataListKey,
  DataListValue,
  Heading2,
  Paragraph,
} from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { ApiError, api } from "../api";
import type { BakenEvent, Member, OutboxMessage } from "../api";
import { typeLabel } from "../eventText";
import { useI18n } from "../i18n";
import { useResource } from "../resource";
import { Empty, ErrorState, Loading, Show } from "../components/States";
import { MessageTable } from "./Messages";
import { PageHeading } from "../components/PageHeading";
import { Dashboard } from "./Dashboard";

const kWeekMs = 7 * 24 * 3600 * 1000;

export function MemberOverview({ code }: { code: string }) {
  const { t, formatDateTime } = useI18n();
  const [member, reloadMember] = useResource<Member>(`/members/${encodeURIComponent(code)}`);
  const [messages] = useResource<{ messages: OutboxMessage[] }>("/outbox?limit=50");
  const [confirmError, setConfirmError] = useState<ApiError | null>(null);
  const [confirmed, setConfirmed] = useState(false);

  async function confirm() {
    setConfirmError(null);
    try {
      await api(`/members/${encodeURIComponent(code)}/confirm`, { method: "POST" });
      setConfirmed(true);
      reloadMember();
    } catch (error) {
      setConfirmError(error as ApiError);
    }
  }

  return (
    <Show
      resource={member}
      render={(data) => (
        <>
          <PageHeading title={data.name} />
          <Dashboard />
          <section aria-labelledby="freshness">
            <Heading2 id="freshness">{t("overview.freshness")}</Heading2>
            <Paragraph>
              {data.data_confirmed_at
                ? t("overview.confirmedAt", { when: formatDateTime(data.data_confirmed_at) })
                : t("overview.neverConfirmed")}
            </Paragraph>
            {confirmed && (
              <Alert type="ok" role="status">
                <Paragraph>{t("overview.confirmedNow")}</Paragraph>
              </Alert>
            )}
            {confirmError && <ErrorState error={confirmError} />}
            <Button appearance="primary-action-button" onClick={() => void confirm()}>
              {t("overview.confirm")}
            </Button>{" "}
            <Link className="utrecht-link" to={`/members/${code}`}>
              {t("overview.checkData")}
            </Link>
          </section>
          <section aria-labelledby="this-week">
            <Heading2 id="this-week">{t("overview.thisWeek")}</Heading2>
            <WeekFindings code={code} />
            <Link className="utrecht-link" to={`/members/${code}/events`}>
              {t("overview.allEvents")}
            </Link>
          </section>
          <section aria-labelledby="recent-messages">
            <Heading2 id="recent-messages">{t("overview.messages")}</Heading2>
            <Show
              resource={messages}
              render={({ messages: list }) => {
                const since = Date.now() - kWeekMs;
                const recent = list.filter((message) => Date.parse(message.sent_at ?? "") >= since);
                return recent.length === 0 ? (
                  <Empty>{t("overview.noMessages")}</Empty>
                ) : (
                  <MessageTable messages={recent} caption={t("overview.messages")} />
                );
              }}
            />
            <Link className="utrecht-link" to="/messages">
              {t("overview.allMessages")}
            </Link>
          </section>
        </>
      )}
    />
  );
}

interface EventsReply {
  events: BakenEvent[];
  total: number;
}

const kWeekSample = 100;

// The first day of the last seven (today included), as the API's `since` takes it: a UTC date.
function weekStart(): string {
  return new Date(Date.now() - 6 * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

// This week's findings by type, counted by the server: the newest hundred give the types, and
// when there are more, each type's own total is asked for (one small request per type).
function WeekFindings({ code }: { code: string }) {
  const { t, formatDate, formatNumber } = useI18n();
  const [since] = useState(weekStart);
  const base = `/events?member=${encodeURIComponent(code)}&since=${since}`;
  const [week] = useResource<EventsReply>(`${base}&newest=true&limit=${kWeekSample}`);
  const [counts, setCounts] = useState<Map<string, number> | null>(null);
  const [countError, setCountError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (week.status !== "ready") return;
    const sampled = new Map<string, number>();
    for (const event of week.data.events) {
      const type = String(event["classification.type"] ?? "");
      sampled.set(type, (sampled.get(type) ?? 0) + 1);
    }
    if (week.data.total <= week.data.events.length) {
      setCounts(sampled);
      return;
    }
    let current = true;
    Promise.all(
      [...sampled.keys()].map(async (type) => {
        const reply = await api<EventsReply>(`${base}&type=${encodeURIComponent(type)}&limit=1`);
        return [type, reply.total] as const;
      }),
    )
      .then((totals) => current && setCounts(new Map(totals)))
      .catch((error: unknown) => current && setCountError(error instanceof ApiError ? error : new ApiError(0, String(error))));
    return () => {
      current = false;
    };
  }, [week, base]);

  if (countError) return <ErrorState error={countError} />;
  return (
    <Show
      resource={week}
      render={({ total }) => {
        if (total === 0) return <Empty>{t("overview.noEvents")}</Empty>;
        if (!counts) return <Loading />;
        const listed = [...counts].sort((a, b) => b[1] - a[1]);
        const rest = total - listed.reduce((sum, [, count]) => sum + count, 0);
        return (
          <>
            <Paragraph>
              {total === 1
                ? t("overview.weekTotalOne", { date: formatDate(since) })
                : t("overview.weekTotal", { total: formatNumber(total), date: formatDate(since) })}
            </Paragraph>
            <DataList>
              {listed.map(([type, count]) => (
                <DataListItem key={type}>
                  <DataListKey>
                    <Link
                      className="utrecht-link"
                      to={`/members/${code}/events?type=${encodeURIComponent(type)}&since=${since}`}
                    >
                      {typeLabel(t, type)}
                    </Link>
                  </DataListKey>
                  <DataListValue>{formatNumber(count)}</DataListValue>
                </DataListItem>
              ))}
              {rest > 0 && (
                <DataListItem>
                  <DataListKey>{t("overview.otherTypes")}</DataListKey>
                  <DataListValue>{formatNumber(rest)}</DataListValue>
                </DataListItem>
              )}
            </DataList>
          </>
        );
      }}
    />
  );
}
