// A member's start page: what needs attention now, and whether its data is still current.
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
import { useState } from "react";
import { Link } from "react-router";
import { ApiError, api } from "../api";
import type { BakenEvent, Member, OutboxMessage, Warning } from "../api";
import { useI18n } from "../i18n";
import { useResource } from "../resource";
import { Empty, ErrorState, Show } from "../components/States";
import { WarningTable } from "./Warnings";
import { MessageTable } from "./Messages";
import { PageHeading } from "../components/PageHeading";

const kWeekMs = 7 * 24 * 3600 * 1000;

export function MemberOverview({ code }: { code: string }) {
  const { t, formatDateTime } = useI18n();
  const [member, reloadMember] = useResource<Member>(`/members/${encodeURIComponent(code)}`);
  const [warnings] = useResource<{ warnings: Warning[] }>("/warnings?limit=5");
  const [messages] = useResource<{ messages: OutboxMessage[] }>("/outbox?limit=50");
  const [events] = useResource<{ events: BakenEvent[] }>(
    `/events?member=${encodeURIComponent(code)}&newest=true&limit=1000`,
  );
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
            <Show
              resource={events}
              render={({ events: list }) => {
                const since = Date.now() - kWeekMs;
                const recent = list.filter((event) => {
                  const time = Date.parse(String(event["time.source"] ?? event["time.observation"] ?? ""));
                  return !Number.isNaN(time) && time >= since;
                });
                const byType = new Map<string, number>();
                for (const event of recent) {
                  const type = String(event["classification.type"] ?? "?");
                  byType.set(type, (byType.get(type) ?? 0) + 1);
                }
                return recent.length === 0 ? (
                  <Empty>{t("overview.noEvents")}</Empty>
                ) : (
                  <DataList>
                    {[...byType].map(([type, count]) => (
                      <DataListItem key={type}>
                        <DataListKey>{type}</DataListKey>
                        <DataListValue>{count}</DataListValue>
                      </DataListItem>
                    ))}
                  </DataList>
                );
              }}
            />
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
          <section aria-labelledby="latest-warnings">
            <Heading2 id="latest-warnings">{t("overview.warnings")}</Heading2>
            <Show
              resource={warnings}
              render={({ warnings: list }) =>
                list.length === 0 ? (
                  <Empty>{t("warnings.none")}</Empty>
                ) : (
                  <WarningTable warnings={list} caption={t("overview.warnings")} />
                )
              }
            />
          </section>
        </>
      )}
    />
  );
}
