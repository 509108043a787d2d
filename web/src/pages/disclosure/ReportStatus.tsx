// The researcher's status page (…/report-status#TOKEN, decision 0020), without sign-in: the
// token is after '#', so opening the link sent it to no server. It shows what became of the
// report — its state, how many organisations were notified, have seen, acknowledged and fixed
// it (never which, unless one agreed to be named) — and the messages meant for the researcher,
// who can add information here.
import { Alert, Button, FormFieldTextarea, Heading, Paragraph } from "@utrecht/component-library-react";
import { useCallback, useEffect, useState } from "react";
import type { FormEvent } from "react";
import { ApiError, api } from "../../api";
import type { ReportStatusView } from "../../api";
import { useI18n } from "../../i18n";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { ErrorState, Loading } from "../../components/States";
import { UserText } from "../../components/UserText";

const kCounts = ["notified", "seen", "acknowledged", "fixed", "not_affected", "disputed"] as const;

export function ReportStatus() {
  const { t, formatDateTime } = useI18n();
  const [token] = useState(() => decodeURIComponent(window.location.hash.replace(/^#/, "")));
  const [status, setStatus] = useState<ReportStatusView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useOutcome("report-status");

  const load = useCallback(() => {
    api<ReportStatusView>("/report-status", { method: "POST", body: { token } })
      .then(setStatus)
      .catch((caught: unknown) => setError(caught instanceof ApiError ? caught : new ApiError(0, String(caught))));
  }, [token]);

  useEffect(() => {
    if (token) load();
  }, [token, load]);

  async function add(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (text.trim() === "") return;
    setBusy(true);
    try {
      const updated = await api<ReportStatusView>("/report-status/messages", {
        method: "POST",
        body: { token, text: text.trim() },
      });
      setStatus(updated);
      setText("");
      setOutcome(done(t("reportStatus.added")));
    } catch (caught) {
      setOutcome(refused(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeading title={status ? t("reportStatus.titleNumbered", { reference: status.reference }) : t("reportStatus.title")} />
      {!token ? (
        <Alert type="error">
          <Paragraph>{t("reportStatus.noToken")}</Paragraph>
        </Alert>
      ) : error ? (
        <ErrorState error={error} />
      ) : !status ? (
        <Loading />
      ) : (
        <>
          <Paragraph>
            <UserText>{status.title}</UserText>
          </Paragraph>
          <Paragraph data-testid="report-state">
            {t("reportStatus.state", {
              state: t(`reportStatus.state.${status.state}`),
              received: formatDateTime(status.received_at),
            })}
          </Paragraph>
          <Heading level={2}>{t("reportStatus.organisationsHeading")}</Heading>
          <ul data-testid="report-counts">
            {kCounts.map((count) => (
              <li key={count}>{t(`reportStatus.count.${count}`, { count: String(status.organisations[count]) })}</li>
            ))}
          </ul>
          {status.named.length > 0 && (
            <>
              <Paragraph>{t("reportStatus.namedIntro")}</Paragraph>
              <ul>
                {status.named.map((named) => (
                  <li key={named.name}>
                    <UserText>{named.name}</UserText>: {t(`reportStatus.answer.${named.state}`)}
                  </li>
                ))}
              </ul>
            </>
          )}
          <Heading level={2}>{t("reportStatus.messagesHeading")}</Heading>
          {status.messages.length === 0 ? (
            <Paragraph>{t("reportStatus.noMessages")}</Paragraph>
          ) : (
            <ul data-testid="report-messages">
              {status.messages.map((message, index) => (
                <li key={index}>
                  <strong>{t(`reportStatus.from.${message.from}`)}</strong>, {formatDateTime(message.at)}:{" "}
                  <UserText>{message.text}</UserText>
                </li>
              ))}
            </ul>
          )}
          <OutcomeAlert outcome={outcome} />
          {status.may_add && (
            <form className="baken-form" noValidate onSubmit={(event) => void add(event)}>
              <FormFieldTextarea
                id="report-add"
                label={t("reportStatus.addLabel")}
                description={t("reportStatus.addHint")}
                maxLength={10000}
                rows={5}
                value={text}
                onChange={(event) => setText((event.target as HTMLTextAreaElement).value)}
              />
              <Button type="submit" appearance="secondary-action-button" disabled={busy}>
                {t("reportStatus.addSubmit")}
              </Button>
            </form>
          )}
        </>
      )}
    </>
  );
}
