// A member's side of researchers' reports (decision 0020): the notifications of reports about
// its systems, and one notification with what the member may read of its report — its own
// items only, the report's text when the report is the member's alone or an analyst wrote a
// summary — where the member acknowledges it, says it is fixed, does not affect it or is
// disputed, and writes to the CERT (and, through the CERT, to the researcher). The e-mail notice
// says nothing but that there is a report and links here.
import { Button, FormFieldCheckbox, FormFieldTextarea, FormFieldTextbox, Heading, Paragraph } from "@utrecht/component-library-react";
import { useState } from "react";
import type { FormEvent } from "react";
import { Link, useParams } from "react-router";
import { api } from "../../api";
import type { MemberAnswer, NotificationState, VulnerabilityNotification } from "../../api";
import { useI18n } from "../../i18n";
import { useResource } from "../../resource";
import { DataTable } from "../../components/Table";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { ErrorState, Loading } from "../../components/States";
import { UserText } from "../../components/UserText";

function StateText({ state }: { state: NotificationState }) {
  const { t } = useI18n();
  return <>{t(`memberReports.state.${state}`)}</>;
}

export function MemberReports() {
  const { t, formatDateTime } = useI18n();
  const [resource] = useResource<{ notifications: VulnerabilityNotification[] }>("/vulnerability-notifications");
  return (
    <>
      <PageHeading title={t("memberReports.title")} />
      <Paragraph>{t("memberReports.intro")}</Paragraph>
      {resource.status === "loading" ? (
        <Loading />
      ) : resource.status === "error" ? (
        <ErrorState error={resource.error} />
      ) : resource.data.notifications.length === 0 ? (
        <Paragraph>{t("memberReports.none")}</Paragraph>
      ) : (
        <DataTable
          caption={t("memberReports.title")}
          rowKey={(row) => String(row.id)}
          rows={resource.data.notifications}
          columns={[
            {
              key: "reference",
              header: t("memberReports.reference"),
              cell: (row) => <Link to={`/disclosure/notifications/${row.id}`}>{row.reference}</Link>,
            },
            { key: "severity", header: t("memberReports.severity"), cell: (row) => t(`report.severity.${row.severity}`) },
            { key: "state", header: t("memberReports.stateHeader"), cell: (row) => <StateText state={row.state} /> },
            {
              key: "notified",
              header: t("memberReports.notifiedAt"),
              cell: (row) => (row.notified_at ? formatDateTime(row.notified_at) : ""),
            },
            { key: "due", header: t("memberReports.due"), cell: (row) => (row.due_at ? formatDateTime(row.due_at) : "") },
          ]}
        />
      )}
    </>
  );
}

export function MemberReport() {
  const { t, formatDateTime } = useI18n();
  const { id = "" } = useParams();
  const [resource, reload] = useResource<VulnerabilityNotification>(`/vulnerability-notifications/${encodeURIComponent(id)}`);
  const [note, setNote] = useState("");
  const [reference, setReference] = useState("");
  const [named, setNamed] = useState(false);
  const [message, setMessage] = useState("");
  const [forReporter, setForReporter] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useOutcome(`member-report-${id}`);

  if (resource.status === "loading") return <Loading />;
  if (resource.status === "error") return <ErrorState error={resource.error} />;
  const notification = resource.data;

  async function answer(state: MemberAnswer) {
    setOutcome(null);
    setBusy(true);
    try {
      await api(`/vulnerability-notifications/${notification.id}/answer`, {
        method: "POST",
        body: {
          state,
          ...(note.trim() ? { note: note.trim() } : {}),
          ...(reference.trim() ? { reference: reference.trim() } : {}),
          named,
        },
      });
      setOutcome(done(t("memberReports.answered", { state: t(`memberReports.state.${state}`) })));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    } finally {
      setBusy(false);
    }
  }

  async function write(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (message.trim() === "") return;
    setBusy(true);
    try {
      await api(`/vulnerability-notifications/${notification.id}/messages`, {
        method: "POST",
        body: { text: message.trim(), for_reporter: forReporter },
      });
      setMessage("");
      setOutcome(done(t("memberReports.written")));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeading title={t("memberReports.reportTitle", { reference: notification.reference })} />
      <Paragraph data-testid="notification-state">
        {t("memberReports.summary", {
          severity: t(`report.severity.${notification.severity}`),
          tlp: notification.tlp,
        })}{" "}
        <StateText state={notification.state} />.
        {notification.due_at ? ` ${t("memberReports.dueBy", { due: formatDateTime(notification.due_at) })}` : ""}
      </Paragraph>
      <OutcomeAlert outcome={outcome} />
      {!notification.may_read ? (
        <Paragraph>{t("memberReports.notForYou")}</Paragraph>
      ) : (
        <>
          {notification.text_withheld ? (
            <Paragraph>{t("memberReports.withheld")}</Paragraph>
          ) : (
            <>
              {notification.title && (
                <Heading level={2}>
                  <UserText>{notification.title}</UserText>
                </Heading>
              )}
              {notification.description && (
                <Paragraph>
                  <UserText>{notification.description}</UserText>
                </Paragraph>
              )}
            </>
          )}
          <Heading level={2}>{t("memberReports.itemsHeading")}</Heading>
          <ul data-testid="notification-items">
            {(notification.items ?? []).map((item) => (
              <li key={`${item.kind}:${item.value}`}>
                <UserText>{item.value}</UserText>
              </li>
            ))}
          </ul>
        </>
      )}
      {(notification.answers ?? []).length > 0 && (
        <>
          <Heading level={2}>{t("memberReports.answerHeading")}</Heading>
          <FormFieldTextarea
            id="answer-note"
            label={t("memberReports.note")}
            maxLength={2000}
            rows={3}
            value={note}
            onChange={(event) => setNote((event.target as HTMLTextAreaElement).value)}
          />
          <FormFieldTextbox
            id="answer-reference"
            label={t("memberReports.ownReference")}
            maxLength={100}
            value={reference}
            onChange={(event) => setReference((event.target as HTMLInputElement).value)}
          />
          <FormFieldCheckbox
            id="answer-named"
            label={t("memberReports.named")}
            checked={named}
            onChange={(event) => setNamed((event.target as HTMLInputElement).checked)}
          />
          <span className="baken-actions">
            {(notification.answers ?? []).map((state) => (
              <Button
                key={state}
                appearance={state === "acknowledged" ? "primary-action-button" : "secondary-action-button"}
                disabled={busy}
                onClick={() => void answer(state)}
              >
                {t(`memberReports.answer.${state}`)}
              </Button>
            ))}
          </span>
        </>
      )}
      {notification.may_read && (
        <>
          <Heading level={2}>{t("memberReports.messagesHeading")}</Heading>
          {(notification.messages ?? []).length === 0 ? (
            <Paragraph>{t("memberReports.noMessages")}</Paragraph>
          ) : (
            <ul>
              {(notification.messages ?? []).map((entry) => (
                <li key={entry.id}>
                  {formatDateTime(entry.at)}: <UserText>{entry.text}</UserText>
                </li>
              ))}
            </ul>
          )}
          <form className="baken-form" noValidate onSubmit={(event) => void write(event)}>
            <FormFieldTextarea
              id="member-message"
              label={t("memberReports.messageLabel")}
              maxLength={10000}
              rows={4}
              value={message}
              onChange={(event) => setMessage((event.target as HTMLTextAreaElement).value)}
            />
            <FormFieldCheckbox
              id="member-message-reporter"
              label={t("memberReports.forReporter")}
              checked={forReporter}
              onChange={(event) => setForReporter((event.target as HTMLInputElement).checked)}
            />
            <Button type="submit" appearance="secondary-action-button" disabled={busy}>
              {t("memberReports.send")}
            </Button>
          </form>
        </>
      )}
    </>
  );
}
