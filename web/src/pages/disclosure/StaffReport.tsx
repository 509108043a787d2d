// A researcher's report as an analyst handles it (decision 0020): what the researcher wrote and
// agreed to, what the report names and which member each item reached, the organisations told
// (confirming a candidate from the inventories, telling another member, withdrawing), where an
// item no member owns may go (security.txt, RIPE), the threads with the researcher and with each
// member (passing a member's message on to the researcher, asked first), the evidence and the
// e-mail it came in as downloads, the report's states, what the members read (TLP, summary), a
// duplicate merged into an earlier report, the incident it becomes, and its history.
import {
  Alert,
  Button,
  DataList,
  DataListItem,
  DataListKey,
  DataListValue,
  FormFieldTextarea,
  FormFieldTextbox,
  Heading2,
  Heading3,
  Paragraph,
  StatusBadge,
  UnorderedList,
  UnorderedListItem,
} from "@utrecht/component-library-react";
import { useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { Link, useParams } from "react-router";
import { api } from "../../api";
import type {
  MemberName,
  NotificationState,
  Priority,
  ReportMessage,
  ReportNotification,
  ReportState,
  ReportSummary,
  Tlp,
  VulnerabilityReport,
} from "../../api";
import { formatBytes, useI18n } from "../../i18n";
import { incidentLabel } from "../../labels";
import type { MessageKey } from "../../messages";
import { reportIdFrom } from "../../reportReference.js";
import { useResource } from "../../resource";
import { useConfirm } from "../../components/Confirm";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, done, refused, refusedHere } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { Empty, Show } from "../../components/States";
import { DataTable } from "../../components/Table";
import { UserText } from "../../components/UserText";
import { TlpField, markUserContent } from "../incidents/shared";
import { useReportWords } from "./shared";

const kPriorities: readonly Priority[] = ["urgent", "high", "normal", "low"];

// What each history action is called.
const kActions: Record<string, MessageKey> = {
  received: "reports.history.received",
  notified: "reports.history.notified",
  proposed: "reports.history.proposed",
  state: "reports.history.state",
  updated: "reports.history.updated",
  withdrawn: "reports.history.withdrawn",
  message: "reports.history.message",
  released: "reports.history.released",
  seen: "reports.history.seen",
  answered: "reports.history.answered",
  reminded: "reports.history.reminded",
  no_response: "reports.history.noResponse",
  moved: "reports.history.moved",
  moved_in: "reports.history.movedIn",
  merged: "reports.history.merged",
  merged_in: "reports.history.mergedIn",
  incident: "reports.history.incident",
};

// A notification an analyst may still withdraw (disclosure::MayWithdraw): not once answered.
const kWithdrawable: readonly NotificationState[] = ["proposed", "notified", "seen", "no_response"];

// Whether a report still takes part in a merge, on either side (report_service_triage.cc).
function isOpen(report: VulnerabilityReport): boolean {
  return report.state !== "closed" && report.state !== "invalid" && report.merged_into === null;
}

// A member is told only of a report that is not closed or invalid.
function maySendTo(report: VulnerabilityReport): boolean {
  return report.state !== "closed" && report.state !== "invalid";
}

function isActive(notification: ReportNotification): boolean {
  return notification.state !== "proposed" && notification.state !== "withdrawn";
}

export function StaffReport() {
  const { id = "" } = useParams();
  const [report, reload] = useResource<VulnerabilityReport>(`/vulnerability-reports/${encodeURIComponent(id)}`);
  return <Show resource={report} render={(shown) => <StaffReportPage report={shown} reload={reload} />} />;
}

interface SectionProps {
  report: VulnerabilityReport;
  reload: () => void;
  memberName: (code: string) => string;
}

function StaffReportPage({ report, reload }: { report: VulnerabilityReport; reload: () => void }) {
  const { t } = useI18n();
  const [members] = useResource<{ members: MemberName[] }>("/members?fields=names");
  const known = members.status === "ready" ? members.data.members : [];
  const memberName = (code: string) =>
    report.notifications.find((n) => n.member === code)?.member_name ?? known.find((m) => m.code === code)?.name ?? code;
  const props = { report, reload, memberName };
  return (
    <>
      <PageHeading title={`${report.reference} ${report.title}`}>
        {report.reference} <UserText>{report.title}</UserText>
      </PageHeading>
      {report.merged_into && (
        <Alert type="info">
          <Paragraph>
            {t("reports.mergedNotice")} <ReportLink report={report.merged_into} />
          </Paragraph>
        </Alert>
      )}
      <Overview report={report} />
      <StateSection {...props} />
      <TextSection report={report} />
      <ReporterSection report={report} />
      <ItemsSection {...props} />
      <SuggestionsSection report={report} />
      <NotificationsSection {...props} members={known} />
      <MessagesSection {...props} />
      <FilesSection report={report} />
      <MembersViewSection key={report.updated_at} {...props} />
      <MergeSection {...props} />
      <IncidentSection {...props} />
      <HistorySection {...props} />
    </>
  );
}

// "CVD-2026-00017 Open beheerpoort" as a link to that report.
function ReportLink({ report }: { report: ReportSummary }) {
  return (
    <Link className="utrecht-link" to={`/disclosure/reports/${report.id}`}>
      {report.reference} <UserText>{report.title}</UserText>
    </Link>
  );
}

function Overview({ report }: { report: VulnerabilityReport }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const words = useReportWords();
  const counts = report.organisations;
  const rows: [string, ReactNode][] = [
    [
      t("incidents.state"),
      <>
        {words.state(report.state)}
        {report.state_reason && (
          <>
            {" — "}
            <UserText>{report.state_reason}</UserText>
          </>
        )}
      </>,
    ],
    [t("memberReports.severity"), words.severity(report.severity)],
    ["TLP", `TLP:${report.tlp}`],
    [t("incidents.source"), words.channel(report.channel)],
    [t("reports.received"), formatDateTime(report.created_at)],
    [t("incidents.updated"), formatDateTime(report.updated_at)],
    [
      t("reports.organisations"),
      t("reports.organisationsCounts", {
        notified: formatNumber(counts.notified),
        acknowledged: formatNumber(counts.acknowledged),
        fixed: formatNumber(counts.fixed),
      }),
    ],
  ];
  if (report.incident !== null) {
    rows.push([
      t("reports.incident"),
      <Link className="utrecht-link" to={`/incidents/${report.incident}`}>
        {t("reports.incidentNumber", { id: report.incident })}
      </Link>,
    ]);
  }
  if (report.merged_into) rows.push([t("incidents.mergedInto"), <ReportLink report={report.merged_into} />]);
  if (report.duplicates.length > 0) {
    rows.push([
      t("reports.duplicates"),
      <UnorderedList>
        {report.duplicates.map((duplicate) => (
          <UnorderedListItem key={duplicate.id}>
            <ReportLink report={duplicate} />
          </UnorderedListItem>
        ))}
      </UnorderedList>,
    ]);
  }
  return (
    <DataList>
      {rows.map(([key, value]) => (
        <DataListItem key={key}>
          <DataListKey>{key}</DataListKey>
          <DataListValue>{value}</DataListValue>
        </DataListItem>
      ))}
    </DataList>
  );
}

// The researcher's own text, as text: it may hold markup meant to run in a browser (decision 0020).
function TextSection({ report }: { report: VulnerabilityReport }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="report-text" className="baken-section">
      <Heading2 id="report-text">{t("reports.textTitle")}</Heading2>
      <div className="baken-journal__text" data-user-content="" data-testid="report-description">
        {report.description}
      </div>
    </section>
  );
}

function ReporterSection({ report }: { report: VulnerabilityReport }) {
  const { t } = useI18n();
  const reporter = report.reporter;
  const given = (value: string | null) => (value ? <UserText>{value}</UserText> : t("reports.notGiven"));
  const yesNo = (value: boolean) => (value ? t("form.yes") : t("form.no"));
  const rows: [string, ReactNode][] = [
    [t("report.fieldName"), given(reporter.name)],
    [t("report.fieldEmail"), given(reporter.email)],
    [t("report.fieldOrganisation"), given(reporter.organisation)],
    [t("reports.reporterLanguage"), reporter.language === "en" ? t("reports.languageEn") : t("reports.languageNl")],
    [t("reports.shareDetails"), yesNo(reporter.share_details)],
    [
      t("reports.credit"),
      reporter.credit && reporter.credit_as ? (
        <>
          {t("reports.creditAs")} <UserText>{reporter.credit_as}</UserText>
        </>
      ) : (
        yesNo(reporter.credit)
      ),
    ],
    [t("reports.wantsUpdates"), yesNo(reporter.wants_updates)],
  ];
  return (
    <section aria-labelledby="report-reporter" className="baken-section">
      <Heading2 id="report-reporter">{t("reports.reporterTitle")}</Heading2>
      <DataList>
        {rows.map(([key, value]) => (
          <DataListItem key={key}>
            <DataListKey>{key}</DataListKey>
            <DataListValue>{value}</DataListValue>
          </DataListItem>
        ))}
      </DataList>
    </section>
  );
}

function ItemsSection({ report, memberName }: SectionProps) {
  const { t } = useI18n();
  const words = useReportWords();
  return (
    <section aria-labelledby="report-items" className="baken-section">
      <Heading2 id="report-items">{t("reports.itemsTitle")}</Heading2>
      {report.items.length === 0 ? (
        <Empty>{t("reports.itemsNone")}</Empty>
      ) : (
        <DataTable
          caption={t("reports.itemsTitle")}
          rows={report.items}
          rowKey={(item) => `${item.kind}:${item.value}`}
          columns={[
            { key: "kind", header: t("reports.itemKind"), cell: (item) => words.itemKind(item.kind) },
            { key: "value", header: t("reports.itemValue"), userContent: true, cell: (item) => item.value },
            {
              key: "member",
              header: t("reports.itemMember"),
              cell: (item) =>
                item.member ? (
                  <UserText>{`${memberName(item.member)} (${item.member})`}</UserText>
                ) : item.kind === "product" ? (
                  t("reports.itemProduct")
                ) : (
                  t("reports.itemUnrouted")
                ),
            },
            {
              key: "match",
              header: t("lookup.reason"),
              cell: (item) =>
                item.route_reason ? (
                  <>
                    {t(`claimKind.${item.route_reason}`)} <UserText>{item.route_match ?? ""}</UserText>
                  </>
                ) : (
                  "—"
                ),
            },
          ]}
        />
      )}
    </section>
  );
}

// For the items no member owns: what the host's security.txt and the RIPE data say, so that an
// analyst can pass the report on outside the constituency.

// Why a lookup found nothing is a code the server records, said here in the reader's language;
// what it found (expiry, the abuse-c, …) is shown as the server recorded it.
const kSuggestionProblems: Record<string, MessageKey> = {
  no_url: "reports.suggestionProblem.noUrl",
  fetch_failed: "reports.suggestionProblem.fetchFailed",
  no_address: "reports.suggestionProblem.noAddress",
  not_in_ripe: "reports.suggestionProblem.notInRipe",
};

function SuggestionDetail({ detail }: { detail: string | null }) {
  const { t } = useI18n();
  if (!detail) return null;
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(detail);
  } catch {
    parsed = null;
  }
  if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
    const fields = parsed as Record<string, unknown>;
    const key = typeof fields.problem === "string" ? kSuggestionProblems[fields.problem] : undefined;
    if (key) {
      const values: Record<string, string> = {};
      for (const [name, value] of Object.entries(fields)) values[name] = String(value);
      return <>{t(key, values)}</>;
    }
  }
  return (
    <code className="baken-history-detail">
      <UserText>{detail}</UserText>
    </code>
  );
}

function SuggestionsSection({ report }: { report: VulnerabilityReport }) {
  const { t, formatDateTime } = useI18n();
  const unrouted = report.items.some((item) => item.member === null && item.kind !== "product");
  if (!unrouted && report.suggestions.length === 0) return null;
  return (
    <section aria-labelledby="report-suggestions" className="baken-section">
      <Heading2 id="report-suggestions">{t("reports.suggestionsTitle")}</Heading2>
      <Paragraph>{t("reports.suggestionsIntro")}</Paragraph>
      {report.suggestions.length === 0 ? (
        <Empty>{t("reports.suggestionsNone")}</Empty>
      ) : (
        <DataTable
          caption={t("reports.suggestionsTitle")}
          rows={report.suggestions}
          rowKey={(_suggestion, index) => index}
          columns={[
            { key: "item", header: t("reports.itemValue"), userContent: true, cell: (s) => s.item },
            {
              key: "source",
              header: t("reports.suggestionSource"),
              // The file's name is the same in every language, as a file name in a path is.
              cell: (s) => (s.source === "ripe" ? t("reports.sourceRipe") : <UserText>security.txt</UserText>),
            },
            { key: "location", header: t("reports.suggestionLocation"), userContent: true, cell: (s) => s.location },
            {
              key: "contacts",
              header: t("reports.suggestionContacts"),
              userContent: true,
              cell: (s) => (s.contacts.length > 0 ? s.contacts.join(", ") : "—"),
            },
            {
              key: "detail",
              header: t("incidents.historyDetail"),
              cell: (s) => <SuggestionDetail detail={s.detail} />,
            },
            { key: "found", header: t("reports.suggestionFound"), cell: (s) => formatDateTime(s.found_at) },
          ]}
        />
      )}
    </section>
  );
}

function NotificationsSection({ report, reload, memberName, members }: SectionProps & { members: MemberName[] }) {
  const { t, formatDateTime } = useI18n();
  const words = useReportWords();
  const [confirm, confirmDialog] = useConfirm();
  const [outcome, setOutcome] = useOutcome("report-notifications");
  const [member, setMember] = useState("");
  const open = maySendTo(report);

  async function notify(code: string) {
    setOutcome(null);
    try {
      await api(`/vulnerability-reports/${report.id}/notifications`, { method: "POST", body: { member: code } });
      setOutcome(done(t("reports.notifiedDone", { member: memberName(code) })));
      setMember("");
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  async function withdraw(notification: ReportNotification) {
    setOutcome(null);
    const candidate = notification.state === "proposed";
    const confirmed = await confirm({
      title: t("reports.withdrawQuestion", { member: notification.member_name }),
      consequence: t(candidate ? "reports.withdrawCandidate" : "reports.withdrawNotified", { member: notification.member_name }),
      confirmLabel: t("reports.withdraw"),
      danger: true,
    });
    if (!confirmed) return;
    try {
      await api(`/vulnerability-reports/${report.id}/notifications/${encodeURIComponent(notification.member)}/withdraw`, { method: "POST" });
      setOutcome(done(t("reports.withdrawn", { member: notification.member_name })));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  function add(event: FormEvent) {
    event.preventDefault();
    if (!member) {
      setOutcome(refusedHere(t("reports.memberMissing")));
      return;
    }
    void notify(member);
  }

  const listed = new Set(report.notifications.map((n) => n.member));
  const choices = [
    { value: "", label: t("incidents.chooseMember") },
    ...[...members]
      .filter((m) => !listed.has(m.code))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((m) => ({ value: m.code, label: `${m.name} (${m.code})` })),
  ];
  const answered = (n: ReportNotification) => n.answered_at ?? n.acknowledged_at;
  return (
    <section aria-labelledby="report-notifications" className="baken-section">
      {confirmDialog}
      <Heading2 id="report-notifications">{t("reports.notificationsTitle")}</Heading2>
      <Paragraph>{t("reports.notificationsIntro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      {report.notifications.length === 0 ? (
        <Empty>{t("reports.notificationsNone")}</Empty>
      ) : (
        <DataTable
          caption={t("reports.notificationsTitle")}
          rows={report.notifications}
          rowKey={(n) => n.id}
          columns={[
            { key: "member", header: t("members.member"), userContent: true, cell: (n) => `${n.member_name} (${n.member})` },
            { key: "state", header: t("incidents.state"), cell: (n) => words.notification(n.state) },
            { key: "routed", header: t("lookup.reason"), cell: (n) => words.routedBy(n.routed_by) },
            { key: "notified", header: t("memberReports.notifiedAt"), cell: (n) => formatDateTime(n.notified_at) },
            { key: "answered", header: t("reports.answeredAt"), cell: (n) => formatDateTime(answered(n)) },
            {
              key: "due",
              header: t("memberReports.due"),
              cell: (n) => (n.due_at ? t("reports.dueWithReminders", { due: formatDateTime(n.due_at), reminders: n.reminders }) : "—"),
            },
            {
              key: "note",
              header: t("memberReports.note"),
              userContent: true,
              cell: (n) => [n.member_reference, n.note].filter(Boolean).join(" — ") || "—",
            },
            {
              key: "actions",
              header: t("form.actions"),
              actions: true,
              cell: (n) => (
                <div className="baken-actions">
                  {open && (n.state === "proposed" || n.state === "withdrawn") && (
                    <Button
                      appearance="primary-action-button"
                      aria-label={t(n.state === "proposed" ? "reports.confirmOne" : "reports.notifyAgainOne", { member: n.member_name })}
                      onClick={() => void notify(n.member)}
                    >
                      {t(n.state === "proposed" ? "reports.confirm" : "reports.notifyAgain")}
                    </Button>
                  )}
                  {kWithdrawable.includes(n.state) && (
                    <Button
                      appearance="secondary-action-button"
                      hint="warning"
                      aria-label={t("reports.withdrawOne", { member: n.member_name })}
                      onClick={() => void withdraw(n)}
                    >
                      {t("reports.withdraw")}
                    </Button>
                  )}
                </div>
              ),
            },
          ]}
        />
      )}
      {open ? (
        <form className="baken-form baken-form--inline" noValidate onSubmit={add} aria-label={t("reports.notifyTitle")}>
          <FormFieldSelect
            id="report-notify-member"
            label={t("members.member")}
            description={t("reports.notifyHint")}
            value={member}
            options={choices}
            onChange={setMember}
          />
          <Button type="submit" appearance="secondary-action-button">
            {t("reports.notify")}
          </Button>
        </form>
      ) : (
        <Empty>{t("reports.notifyClosed")}</Empty>
      )}
    </section>
  );
}

// A thread, oldest first: who wrote and when, and for a member's message meant for the
// researcher whether it was passed on; `action` adds a control to a message (pass it on).
function Thread({ messages, action }: { messages: ReportMessage[]; action?: (message: ReportMessage) => ReactNode }) {
  const { t, formatDateTime } = useI18n();
  const words = useReportWords();
  if (messages.length === 0) return <Empty>{t("memberReports.noMessages")}</Empty>;
  return (
    <ol className="baken-journal">
      {messages.map((message) => (
        <li key={message.id} className="baken-journal__entry">
          <Paragraph className="baken-journal__meta">
            {t("incidents.entryMeta", { who: words.actor(message.author), when: formatDateTime(message.at) })}{" "}
            {message.for_reporter &&
              (message.released_at ? (
                <StatusBadge status="success">{t("reports.passedOnAt", { when: formatDateTime(message.released_at) })}</StatusBadge>
              ) : (
                <StatusBadge status="warning">{t("reports.forReporterWaiting")}</StatusBadge>
              ))}
          </Paragraph>
          <div className="baken-journal__text" data-user-content="">
            {message.text}
          </div>
          {action?.(message)}
        </li>
      ))}
    </ol>
  );
}

function MessagesSection({ report, reload, memberName }: SectionProps) {
  const { t } = useI18n();
  const [confirm, confirmDialog] = useConfirm();
  const [outcome, setOutcome] = useOutcome("report-messages");
  const [to, setTo] = useState("");
  const [text, setText] = useState("");
  const active = report.notifications.filter(isActive);
  // Every member with a thread, also one withdrawn since: what was said stays readable.
  const threads = [...new Set([...active.map((n) => n.member), ...report.messages.flatMap((m) => (m.member ? [m.member] : []))])];

  async function release(message: ReportMessage) {
    setOutcome(null);
    const confirmed = await confirm({
      title: t("reports.passOnQuestion"),
      consequence: t("reports.passOnConsequence"),
      confirmLabel: t("reports.passOn"),
      danger: true,
    });
    if (!confirmed) return;
    try {
      await api(`/vulnerability-reports/${report.id}/messages/${message.id}/release`, { method: "POST" });
      setOutcome(done(t("reports.passedOn")));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  async function send(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (text.trim() === "") {
      setOutcome(refusedHere(t("reports.messageMissing")));
      return;
    }
    try {
      await api(`/vulnerability-reports/${report.id}/messages`, { method: "POST", body: { text: text.trim(), ...(to ? { member: to } : {}) } });
      setOutcome(done(to ? t("reports.sentToMember", { member: memberName(to) }) : t("reports.sentToReporter")));
      setText("");
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <section aria-labelledby="report-messages" className="baken-section">
      {confirmDialog}
      <Heading2 id="report-messages">{t("reports.messagesTitle")}</Heading2>
      <OutcomeAlert outcome={outcome} />
      <div data-testid="thread-reporter">
        <Heading3 className="baken-subsection">{t("reports.threadReporter")}</Heading3>
        <Thread messages={report.messages.filter((m) => m.member === null)} />
      </div>
      {threads.map((code) => (
        <div key={code} data-testid={`thread-${code}`}>
          <Heading3 className="baken-subsection">
            {t("reports.threadMember")} <UserText>{memberName(code)}</UserText>
          </Heading3>
          <Thread
            messages={report.messages.filter((m) => m.member === code)}
            action={(message) =>
              message.for_reporter &&
              message.released_at === null && (
                <Button appearance="secondary-action-button" hint="warning" onClick={() => void release(message)}>
                  {t("reports.passOn")}
                </Button>
              )
            }
          />
        </div>
      ))}
      <form className="baken-form" noValidate onSubmit={(event) => void send(event)} aria-labelledby="report-message-write">
        <Heading3 id="report-message-write" className="baken-subsection">
          {t("reports.messageWrite")}
        </Heading3>
        <FormFieldSelect
          id="report-message-to"
          label={t("reports.messageTo")}
          description={t(to ? "reports.messageToMemberHint" : "reports.messageToReporterHint")}
          value={to}
          options={[
            { value: "", label: t("reports.messageToReporter") },
            ...active.map((n) => ({ value: n.member, label: `${n.member_name} (${n.member})` })),
          ]}
          onChange={setTo}
        />
        <FormFieldTextarea
          id="report-message-text"
          label={t("reports.messageText")}
          maxLength={10000}
          rows={4}
          value={text}
          onChange={(event) => setText((event.target as HTMLTextAreaElement).value)}
        />
        <Button type="submit" appearance="primary-action-button">
          {t("memberReports.send")}
        </Button>
      </form>
    </section>
  );
}

// The researcher's evidence and the e-mail the report came in, as files to download: neither is
// ever shown in the page (a proof of concept may be meant to run).
function FilesSection({ report }: { report: VulnerabilityReport }) {
  const { t, language, formatDateTime } = useI18n();
  const base = `/api/v1/vulnerability-reports/${report.id}`;
  const signature = (mail: VulnerabilityReport["mails"][number]) => t(`reports.signature.${mail.signature}`);
  return (
    <section aria-labelledby="report-files" className="baken-section">
      <Heading2 id="report-files">{t("reports.filesTitle")}</Heading2>
      <Paragraph>{t("reports.filesIntro")}</Paragraph>
      {report.attachments.length === 0 ? (
        <Empty>{t("reports.attachmentsNone")}</Empty>
      ) : (
        <DataTable
          caption={t("reports.attachments")}
          rows={report.attachments}
          rowKey={(file) => file.id}
          columns={[
            {
              key: "name",
              header: t("reports.fileName"),
              userContent: true,
              cell: (file) => (
                <a className="utrecht-link" href={`${base}/attachments/${file.id}`} download={file.name}>
                  {file.name}
                </a>
              ),
            },
            { key: "type", header: t("reports.fileType"), userContent: true, cell: (file) => file.media_type },
            { key: "size", header: t("reports.fileSize"), numeric: true, cell: (file) => formatBytes(language, file.size) },
            {
              key: "sha256",
              header: "SHA-256",
              userContent: true,
              cell: (file) => <code className="baken-history-detail">{file.sha256}</code>,
            },
          ]}
        />
      )}
      {report.mails.length > 0 && (
        <>
          <Heading3 className="baken-subsection">{t("reports.mails")}</Heading3>
          <Paragraph>{t("reports.mailsIntro")}</Paragraph>
          <DataTable
            caption={t("reports.mails")}
            rows={report.mails}
            rowKey={(mail) => mail.id}
            columns={[
              { key: "sender", header: t("reports.mailSender"), userContent: true, cell: (mail) => mail.sender },
              {
                key: "format",
                header: t("reports.mailFormat"),
                cell: (mail) => (mail.format === "plain" ? t("reports.mailPlain") : <UserText>{mail.format.replace(/^xarf-/, "X-ARF ")}</UserText>),
              },
              { key: "encrypted", header: t("reports.mailEncrypted"), cell: (mail) => (mail.encrypted ? t("form.yes") : t("form.no")) },
              {
                key: "signature",
                header: t("reports.mailSignature"),
                cell: (mail) => (
                  <>
                    {signature(mail)}
                    {mail.signer && (
                      <>
                        {" "}
                        <code className="baken-history-detail" data-user-content="">
                          {mail.signer}
                        </code>
                      </>
                    )}
                  </>
                ),
              },
              { key: "received", header: t("reports.received"), cell: (mail) => formatDateTime(mail.received_at) },
              {
                key: "download",
                header: t("reports.mailDownload"),
                cell: (mail) => (
                  <a
                    className="utrecht-link"
                    href={`${base}/mails/${mail.id}`}
                    download={`${report.reference}-${mail.id}.eml`}
                  >
                    {t("reports.mailFile", { size: formatBytes(language, mail.size) })}
                  </a>
                ),
              },
            ]}
          />
        </>
      )}
    </section>
  );
}

// The moves the server allows from here; declaring a report invalid withdraws what its members
// were asked and have not answered, so it is asked first.
function StateSection({ report, reload }: SectionProps) {
  const { t } = useI18n();
  const words = useReportWords();
  const [confirm, confirmDialog] = useConfirm();
  const [reason, setReason] = useState("");
  const [outcome, setOutcome] = useOutcome("report-state");

  async function move(state: ReportState) {
    setOutcome(null);
    if (state === "invalid") {
      const confirmed = await confirm({
        title: t("reports.invalidQuestion"),
        consequence: t("reports.invalidConsequence"),
        confirmLabel: t("incidents.moveTo", { state: words.state(state) }),
        danger: true,
      });
      if (!confirmed) return;
    }
    try {
      await api(`/vulnerability-reports/${report.id}/state`, {
        method: "POST",
        body: { state, ...(reason.trim() ? { reason: reason.trim() } : {}) },
      });
      setReason("");
      setOutcome(done(t("reports.moved", { state: words.state(state) })));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  // A merged report lives on in the one it joined: the server refuses to reopen it.
  const next = report.merged_into ? [] : report.next_states;
  return (
    <section aria-labelledby="report-state" className="baken-section">
      {confirmDialog}
      <Heading2 id="report-state">{t("incidents.stateTitle")}</Heading2>
      <Paragraph>{t("reports.stateNow", { state: words.state(report.state) })}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      {next.length === 0 ? (
        <Empty>{t(report.merged_into ? "reports.mergedFinal" : "reports.noNextState")}</Empty>
      ) : (
        <div className="baken-form">
          <FormFieldTextbox
            id="report-state-reason"
            label={t("reports.stateReason")}
            description={t("reports.stateReasonHint")}
            maxLength={2000}
            value={reason}
            onChange={(event) => setReason((event.target as HTMLInputElement).value)}
          />
          <div className="baken-actions">
            {next.map((state) => (
              <Button
                key={state}
                appearance={state === "closed" || state === "invalid" ? "secondary-action-button" : "primary-action-button"}
                onClick={() => void move(state)}
              >
                {report.state === "closed" ? t("incidents.reopen") : t("incidents.moveTo", { state: words.state(state) })}
              </Button>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

// What the members read: the TLP decides which of their users, and the summary replaces the
// researcher's text, which a member reads only when the report concerns it alone.
function MembersViewSection({ report, reload }: SectionProps) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useOutcome("report-members-view");
  const [tlp, setTlp] = useState<Tlp>(report.tlp);
  const [summary, setSummary] = useState(report.member_summary ?? "");

  async function save(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    try {
      await api(`/vulnerability-reports/${report.id}`, {
        method: "PUT",
        body: { tlp, member_summary: summary.trim() === "" ? null : summary.trim() },
      });
      setOutcome(done(t("reports.membersViewSaved")));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <section aria-labelledby="report-members-view" className="baken-section">
      <Heading2 id="report-members-view">{t("reports.membersViewTitle")}</Heading2>
      <Paragraph>{t("reports.membersViewIntro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form" noValidate onSubmit={(event) => void save(event)} aria-labelledby="report-members-view">
        <TlpField id="report-tlp" value={tlp} onChange={setTlp} />
        <FormFieldTextarea
          id="report-summary"
          label={t("reports.summary")}
          description={t("reports.summaryHint")}
          inputRef={markUserContent}
          maxLength={20000}
          rows={5}
          value={summary}
          onChange={(event) => setSummary((event.target as HTMLTextAreaElement).value)}
        />
        <Button type="submit" appearance="primary-action-button">
          {t("form.save")}
        </Button>
      </form>
    </section>
  );
}

// A duplicate goes into the earlier report, named by its reference or number; it cannot be undone.
function MergeSection({ report, reload }: SectionProps) {
  const { t } = useI18n();
  const [confirm, confirmDialog] = useConfirm();
  const [outcome, setOutcome] = useOutcome("report-merge");
  const [target, setTarget] = useState("");
  const [reason, setReason] = useState("");
  const [targetError, setTargetError] = useState<string | null>(null);

  async function merge(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    const into = reportIdFrom(target);
    if (into === null) {
      setTargetError(t("reports.mergeTargetInvalid"));
      return;
    }
    setTargetError(null);
    const confirmed = await confirm({
      title: t("reports.mergeQuestion", { reference: report.reference, target: target.trim() }),
      consequence: t("reports.mergeConsequence"),
      confirmLabel: t("reports.merge"),
      danger: true,
    });
    if (!confirmed) return;
    try {
      const original = await api<VulnerabilityReport>(`/vulnerability-reports/${report.id}/merge`, {
        method: "POST",
        body: { into, ...(reason.trim() ? { reason: reason.trim() } : {}) },
      });
      setOutcome(done(t("reports.merged", { reference: original.reference })));
      setTarget("");
      setReason("");
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <section aria-labelledby="report-merge" className="baken-section">
      {confirmDialog}
      <Heading2 id="report-merge">{t("reports.mergeTitle")}</Heading2>
      <OutcomeAlert outcome={outcome} />
      {report.merged_into ? (
        <Paragraph>
          {t("reports.mergedNotice")} <ReportLink report={report.merged_into} />
        </Paragraph>
      ) : !isOpen(report) ? (
        <Empty>{t("reports.mergeClosed")}</Empty>
      ) : (
        <>
          <Paragraph>{t("reports.mergeIntro")}</Paragraph>
          <form className="baken-form" noValidate onSubmit={(event) => void merge(event)} aria-labelledby="report-merge">
            <FormFieldTextbox
              id="report-merge-into"
              label={t("reports.mergeInto")}
              description={t("reports.mergeIntoHint")}
              required
              invalid={Boolean(targetError)}
              errorMessage={targetError ?? undefined}
              value={target}
              onChange={(event) => setTarget((event.target as HTMLInputElement).value)}
            />
            <FormFieldTextbox
              id="report-merge-reason"
              label={t("reports.stateReason")}
              maxLength={2000}
              value={reason}
              onChange={(event) => setReason((event.target as HTMLInputElement).value)}
            />
            <Button type="submit" appearance="secondary-action-button" hint="warning">
              {t("reports.merge")}
            </Button>
          </form>
        </>
      )}
    </section>
  );
}

// A report that is part of something larger becomes an incident, once; the members it reached
// take part, and the incident's description is the summary for members, never the researcher's text.
function IncidentSection({ report, reload }: SectionProps) {
  const { t, language } = useI18n();
  const [outcome, setOutcome] = useOutcome("report-incident");
  const [title, setTitle] = useState(report.title);
  const [priority, setPriority] = useState<Priority>("normal");
  const [titleError, setTitleError] = useState<string | null>(null);

  async function open(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (title.trim() === "") {
      setTitleError(t("incidents.titleMissing"));
      return;
    }
    setTitleError(null);
    try {
      const updated = await api<VulnerabilityReport>(`/vulnerability-reports/${report.id}/incident`, {
        method: "POST",
        body: { title: title.trim(), priority },
      });
      setOutcome(done(t("reports.incidentOpened", { id: updated.incident ?? "" })));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  const refusedFor = report.merged_into !== null || report.state === "invalid";
  return (
    <section aria-labelledby="report-incident" className="baken-section">
      <Heading2 id="report-incident">{t("reports.incidentTitle")}</Heading2>
      <OutcomeAlert outcome={outcome} />
      {report.incident !== null ? (
        <Paragraph>
          {t("reports.incidentExists")}{" "}
          <Link className="utrecht-link" to={`/incidents/${report.incident}`}>
            {t("reports.incidentNumber", { id: report.incident })}
          </Link>
        </Paragraph>
      ) : refusedFor ? (
        <Empty>{t("reports.incidentRefused")}</Empty>
      ) : (
        <>
          <Paragraph>{t("reports.incidentIntro")}</Paragraph>
          <form className="baken-form" noValidate onSubmit={(event) => void open(event)} aria-labelledby="report-incident">
            <FormFieldTextbox
              id="report-incident-title"
              label={t("reports.incidentName")}
              required
              maxLength={200}
              invalid={Boolean(titleError)}
              errorMessage={titleError ?? undefined}
              value={title}
              onChange={(event) => setTitle((event.target as HTMLInputElement).value)}
            />
            <FormFieldSelect
              id="report-incident-priority"
              label={t("incidents.priority")}
              value={priority}
              options={kPriorities.map((value) => ({ value, label: incidentLabel(language, "priority", value) }))}
              onChange={setPriority}
            />
            <Button type="submit" appearance="primary-action-button">
              {t("reports.incidentOpen")}
            </Button>
          </form>
        </>
      )}
    </section>
  );
}

function HistorySection({ report, memberName }: SectionProps) {
  const { t, formatDateTime } = useI18n();
  const words = useReportWords();
  // A step of a member's notification, else of the report itself.
  const stateText = (member: string | null, state: string) =>
    member ? words.notification(state as NotificationState) : words.state(state as ReportState);
  return (
    <section aria-labelledby="report-history" className="baken-section">
      <Heading2 id="report-history">{t("incidents.history")}</Heading2>
      {report.history.length === 0 ? (
        <Empty>{t("incidents.historyNone")}</Empty>
      ) : (
        <DataTable
          caption={t("incidents.history")}
          rows={report.history}
          rowKey={(_entry, index) => index}
          columns={[
            { key: "at", header: t("incidents.historyAt"), cell: (entry) => formatDateTime(entry.at) },
            { key: "actor", header: t("incidents.historyWho"), cell: (entry) => words.actor(entry.actor) },
            {
              key: "action",
              header: t("incidents.historyWhat"),
              cell: (entry) => (
                <>
                  {kActions[entry.action] ? t(kActions[entry.action]!) : t("incidents.historyOther")}
                  {entry.member && (
                    <>
                      {" — "}
                      <UserText>{memberName(entry.member)}</UserText>
                    </>
                  )}
                </>
              ),
            },
            {
              key: "change",
              header: t("reports.historyChange"),
              cell: (entry) =>
                entry.to === null
                  ? "—"
                  : entry.from === null || entry.from === entry.to
                    ? stateText(entry.member, entry.to)
                    : `${stateText(entry.member, entry.from)} → ${stateText(entry.member, entry.to)}`,
            },
            {
              key: "detail",
              header: t("incidents.historyDetail"),
              // The record as stored (a reason someone gave, a reference, a claim): data.
              userContent: true,
              cell: (entry) => <code className="baken-history-detail">{entry.detail ?? ""}</code>,
            },
          ]}
        />
      )}
    </section>
  );
}
