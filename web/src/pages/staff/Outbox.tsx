// Notification messages, paged, sorted and filtered by the server: pending, held (with the
// reason), sent and failed, with the true total, the subject and feed, when the next delivery
// attempt is due, and a page per message with its text (read before releasing it). A held
// TLP:RED message can be released after an analyst's decision.
import {
  Alert,
  Button,
  ButtonGroup,
  DataList,
  DataListItem,
  DataListKey,
  DataListValue,
  FormFieldTextbox,
  Heading2,
  Paragraph,
} from "@utrecht/component-library-react";
import { useState } from "react";
import { Link, useLocation, useParams } from "react-router";
import { api } from "../../api";
import type { MemberName, OutboxMessage } from "../../api";
import { kTlpLevels } from "../../eventText";
import { useI18n } from "../../i18n";
import { dayAfter } from "../../listState.js";
import { problemSentence } from "../../problems";
import { useResource } from "../../resource";
import { useServerList } from "../../serverList";
import { DataTable } from "../../components/Table";
import type { SortDirection } from "../../components/Table";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { ListCount, ListFilters, periodError } from "../../components/ListFilters";
import { Pager } from "../../components/Pager";
import { Empty, ErrorState, Loading, ProblemText, Show } from "../../components/States";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import type { Outcome } from "../../components/Outcome";
import { PageHeading } from "../../components/PageHeading";
import { FeedName } from "../../components/FeedName";
import { UserText } from "../../components/UserText";
import { useConfirm } from "../../components/Confirm";
import type { ConfirmRequest } from "../../components/Confirm";

const kStates = ["pending", "held", "sending", "sent", "failed", "unknown"] as const;
const kDone = { release: "outbox.releaseDone", confirm: "outbox.confirmDone", resend: "outbox.resent" } as const;

interface OutboxReply {
  messages: OutboxMessage[];
  total: number;
}

const kListOptions = {
  filters: ["state", "member", "feed", "tlp", "since", "until", "q"] as const,
  // People mean the end date inclusively; the API's `until` is the first moment left out.
  apiFilters: (filters: Record<string, string>) =>
    filters.until ? { ...filters, until: dayAfter(filters.until) } : filters,
  sorts: {
    created: (direction: SortDirection): Record<string, string> => ({
      sort: direction === "descending" ? "-created" : "created",
    }),
    next: (direction: SortDirection): Record<string, string> => ({
      sort: direction === "descending" ? "-next_attempt" : "next_attempt",
    }),
  },
  defaultSort: { key: "created", direction: "descending" as const },
  rows: (reply: OutboxReply) => reply.messages,
};

function useMemberNames() {
  const [members] = useResource<{ members: MemberName[] }>("/members?fields=names");
  const names = new Map(members.status === "ready" ? members.data.members.map((m) => [m.code, m.name]) : []);
  return { members, nameOf: (code: string) => names.get(code) ?? code };
}

export function Outbox() {
  const { t, formatDateTime, formatNumber, language } = useI18n();
  const list = useServerList<OutboxReply, OutboxMessage>({ ...kListOptions, path: "/outbox" });
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [confirm, confirmDialog] = useConfirm();
  const { members, nameOf } = useMemberNames();
  const location = useLocation();
  const from = `${location.pathname}${location.search}`;

  // Actions that cannot be taken back are asked first: releasing TLP:RED (it goes out and the
  // member's users see its findings), and sending again a message that may have arrived.
  function question(message: OutboxMessage, action: "release" | "confirm" | "resend"): ConfirmRequest | null {
    const recipients = message.recipients.join(", ");
    if (action === "release" && message.tlp === "RED") {
      return {
        title: t("outbox.releaseQuestion", { id: message.id }),
        consequence: t("outbox.releaseConsequence", { recipients, member: nameOf(message.member) }),
        confirmLabel: t("outbox.release"),
        danger: true,
      };
    }
    if (action === "resend" && message.state === "unknown") {
      return {
        title: t("outbox.resendQuestion", { id: message.id }),
        consequence: t("outbox.resendConsequence", { recipients }),
        confirmLabel: t("outbox.resendButton"),
      };
    }
    return null;
  }

  async function act(message: OutboxMessage, action: "release" | "confirm" | "resend") {
    setOutcome(null);
    const asked = question(message, action);
    if (asked && !(await confirm(asked))) return;
    try {
      await api(`/outbox/${message.id}/${action}`, { method: "POST" });
      setOutcome(done(t(kDone[action], { id: message.id })));
      list.reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  const memberOptions = [
    { value: "", label: t("outbox.anyMember") },
    ...(members.status === "ready"
      ? [...members.data.members]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((member) => ({ value: member.code, label: `${member.name} (${member.code})` }))
      : []),
  ];
  const total = list.total;
  const count =
    total === 1
      ? t(list.filtered ? "outbox.totalFilteredOne" : "outbox.totalOne")
      : t(list.filtered ? "outbox.totalFiltered" : "outbox.total", { total: formatNumber(total) });

  return (
    <>
      {confirmDialog}
      <PageHeading title={t("outbox.title")} />
      <Paragraph>{t("outbox.intro")}</Paragraph>
      <ListFilters
        list={list}
        label={t("outbox.filters")}
        validate={(draft) => periodError(draft, "since", "until", t("list.periodInvalid"))}
        fields={(draft, set, refusal) => (
          <>
            <FormFieldSelect
              id="outbox-state"
              label={t("outbox.filter")}
              value={draft.state ?? ""}
              options={[
                { value: "", label: t("outbox.all") },
                ...kStates.map((value) => ({ value: value as string, label: t(`outboxState.${value}`) })),
              ]}
              onChange={(value) => set("state", value)}
            />
            <FormFieldSelect
              id="outbox-member"
              label={t("members.member")}
              value={draft.member ?? ""}
              options={memberOptions}
              onChange={(value) => set("member", value)}
            />
            <FormFieldTextbox
              id="outbox-feed"
              label={t("outbox.feed")}
              description={t("outbox.feedHint")}
              value={draft.feed ?? ""}
              onChange={(event) => set("feed", (event.target as HTMLInputElement).value)}
            />
            <FormFieldSelect
              id="outbox-tlp"
              label="TLP"
              value={draft.tlp ?? ""}
              options={[
                { value: "", label: t("events.anyTlp") },
                ...kTlpLevels.map((level) => ({ value: level as string, label: `TLP:${level}` })),
              ]}
              onChange={(value) => set("tlp", value)}
            />
            <FormFieldTextbox
              id="outbox-since"
              type="date"
              label={t("outbox.since")}
              value={draft.since ?? ""}
              onChange={(event) => set("since", (event.target as HTMLInputElement).value)}
            />
            <FormFieldTextbox
              id="outbox-until"
              type="date"
              label={t("outbox.until")}
              value={draft.until ?? ""}
              invalid={Boolean(refusal)}
              errorMessage={refusal ?? undefined}
              onChange={(event) => set("until", (event.target as HTMLInputElement).value)}
            />
            <FormFieldTextbox
              id="outbox-q"
              type="search"
              label={t("list.search")}
              description={t("outbox.searchHint")}
              value={draft.q ?? ""}
              onChange={(event) => set("q", (event.target as HTMLInputElement).value)}
            />
          </>
        )}
      />
      <OutcomeAlert outcome={outcome} />
      {/* Shown once the names are known (or cannot be): a release asked before then would name
          the member by code only. */}
      {list.status === "loading" || members.status === "loading" ? (
        <Loading />
      ) : list.error?.status === 400 ? (
        <Alert type="error" role="alert">
          <ProblemText error={list.error} />
        </Alert>
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : (
        <section aria-labelledby="outbox-results" className="baken-section">
          <ListCount list={list} id="outbox-results" text={count} />
          {total === 0 ? (
            <Empty>{list.filtered ? t("outbox.noneMatch") : t("outbox.none")}</Empty>
          ) : (
            <DataTable
              caption={t("outbox.title")}
              rows={list.rows}
              busy={list.busy}
              rowKey={(message) => message.id}
              sort={list.sort}
              onSort={list.setSort}
              pager={<Pager label={t("pager.label", { list: t("outbox.title") })} {...list.pager} />}
              columns={[
                {
                  key: "created",
                  header: t("outbox.created"),
                  sortable: true,
                  cell: (message) => (
                    <>
                      {formatDateTime(message.created_at)}
                      {message.sent_at && (
                        <>
                          <br />
                          {t("outbox.sentAt", { when: formatDateTime(message.sent_at) })}
                        </>
                      )}
                    </>
                  ),
                },
                {
                  key: "subject",
                  header: t("outbox.subject"),
                  // In the contact's language, as it was sent.
                  userContent: true,
                  cell: (message) => (
                    <Link className="utrecht-link" to={`/outbox/${message.id}`} state={{ from }}>
                      {message.subject || t("outbox.messageTitle", { id: message.id })}
                    </Link>
                  ),
                },
                {
                  key: "state",
                  header: t("outbox.state"),
                  cell: (message) => (
                    <>
                      {t(`outboxState.${message.state}`)}
                      {message.reason && (
                        <span className="baken-reason">
                          {" — "}
                          {message.reason_code ? (
                            problemSentence(language, message.reason_code, message.reason_params)
                          ) : (
                            // A reason from before reasons had codes: the English sentence as
                            // it was stored, marked as English (WCAG 3.1.2).
                            <span lang="en">{message.reason}</span>
                          )}
                        </span>
                      )}
                    </>
                  ),
                },
                {
                  key: "member",
                  header: t("members.member"),
                  cell: (message) => (
                    <>
                      {nameOf(message.member)} <span className="baken-code">({message.member})</span>
                    </>
                  ),
                },
                {
                  key: "feed",
                  header: t("outbox.feed"),
                  cell: (message) => (
                    <>
                      <FeedName name={message.feed} />
                      <br />
                      <span className="baken-hint">
                        {t(`messageKind.${message.kind}`)} · TLP:{message.tlp}
                      </span>
                    </>
                  ),
                },
                { key: "recipients", header: t("outbox.recipients"), cell: (message) => message.recipients.join(", ") || "—" },
                {
                  key: "next",
                  header: t("outbox.nextAttempt"),
                  sortable: true,
                  cell: (message) => (message.next_attempt_at ? formatDateTime(message.next_attempt_at) : "—"),
                },
                {
                  key: "actions",
                  header: t("form.actions"),
                  actions: true,
                  cell: (message) => (
                    <>
                      {message.state === "held" && message.tlp === "RED" && message.recipients.length > 0 && (
                        <Button
                          appearance="primary-action-button"
                          hint="warning"
                          aria-label={t("outbox.releaseOne", { id: message.id })}
                          onClick={() => void act(message, "release")}
                        >
                          {t("outbox.release")}
                        </Button>
                      )}
                      {(message.state === "unknown" || message.state === "failed") && (
                        <ButtonGroup>
                          <Button
                            appearance="secondary-action-button"
                            aria-label={t("outbox.confirmOne", { id: message.id })}
                            onClick={() => void act(message, "confirm")}
                          >
                            {t("outbox.confirm")}
                          </Button>
                          <Button
                            appearance="secondary-action-button"
                            aria-label={t("outbox.resendOne", { id: message.id })}
                            onClick={() => void act(message, "resend")}
                          >
                            {t("outbox.resendButton")}
                          </Button>
                        </ButtonGroup>
                      )}
                    </>
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

// One message as its recipients will read it: for an analyst deciding on a release.
export function OutboxMessagePage() {
  const { t, formatDateTime } = useI18n();
  const { id = "" } = useParams();
  const location = useLocation();
  const back = (location.state as { from?: string } | null)?.from ?? "/outbox";
  const [message] = useResource<OutboxMessage & { text: string }>(`/outbox/${encodeURIComponent(id)}`);
  const { nameOf } = useMemberNames();
  return (
    <Show
      resource={message}
      render={(shown) => (
        <>
          <PageHeading title={t("outbox.messageTitle", { id: shown.id })} />
          <Paragraph>
            <Link className="utrecht-link" to={back}>
              {t("outbox.back")}
            </Link>
          </Paragraph>
          <DataList>
            {(
              [
                [t("outbox.subject"), <UserText>{shown.subject}</UserText>],
                [t("outbox.state"), t(`outboxState.${shown.state}`)],
                [t("members.member"), `${nameOf(shown.member)} (${shown.member})`],
                [
                  t("outbox.feed"),
                  <>
                    <FeedName name={shown.feed} /> · {t(`messageKind.${shown.kind}`)} · TLP:{shown.tlp}
                  </>,
                ],
                [t("outbox.recipients"), shown.recipients.join(", ") || "—"],
                [t("outbox.created"), formatDateTime(shown.created_at)],
                [t("outbox.nextAttempt"), shown.next_attempt_at ? formatDateTime(shown.next_attempt_at) : "—"],
              ] as const
            ).map(([key, value]) => (
              <DataListItem key={key}>
                <DataListKey>{key}</DataListKey>
                <DataListValue>{value}</DataListValue>
              </DataListItem>
            ))}
          </DataList>
          <Heading2>{t("outbox.text")}</Heading2>
          {shown.text ? (
            // The message's own language, which may not be the page's.
            <pre className="baken-mail" lang={shown.language ?? undefined} tabIndex={0} data-user-content="">
              {shown.text}
            </pre>
          ) : (
            <Empty>{t("outbox.noText")}</Empty>
          )}
        </>
      )}
    />
  );
}
