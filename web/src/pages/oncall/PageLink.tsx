// Where a page's one-time link leads (…/page-link#TOKEN, decision 0019), with or without
// sign-in: the token is after '#', so opening the link sent it to no server; this page reads it,
// asks what it answers (the page's number, severity, kind of source, state) and only the
// analyst's button answers the page. A mail scanner that opens the link acknowledges nothing.
import { Alert, Button, Paragraph } from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import { ApiError, api } from "../../api";
import type { PageLinkInfo, PagingPage } from "../../api";
import { useI18n } from "../../i18n";
import { pageWord } from "../../labels";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { ErrorState, Loading } from "../../components/States";
import { PageStateBadge } from "./Pages";

export function PageLink() {
  const { t, language, formatDateTime } = useI18n();
  const [token] = useState(() => decodeURIComponent(window.location.hash.replace(/^#/, "")));
  const [info, setInfo] = useState<PageLinkInfo | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [outcome, setOutcome] = useOutcome("page-link");
  const [answered, setAnswered] = useState(false);

  useEffect(() => {
    if (!token) return;
    api<PageLinkInfo>("/page-links/inspect", { method: "POST", body: { token } })
      .then(setInfo)
      .catch((caught: unknown) => setError(caught instanceof ApiError ? caught : new ApiError(0, String(caught))));
  }, [token]);

  async function answer(action: "acknowledge" | "resolve") {
    setOutcome(null);
    try {
      const page = await api<PagingPage>("/page-links/answer", { method: "POST", body: { token, action } });
      setInfo((shown) => (shown ? { ...shown, state: page.state } : shown));
      setAnswered(true);
      setOutcome(done(t(action === "acknowledge" ? "pages.acknowledged" : "pages.resolved", { id: String(page.id) })));
    } catch (caught) {
      setOutcome(refused(caught));
    }
  }

  return (
    <>
      <PageHeading title={info ? t("pageLink.titleNumbered", { id: String(info.page) }) : t("pageLink.title")} />
      {!token ? (
        <Alert type="error">
          <Paragraph>{t("pageLink.noToken")}</Paragraph>
        </Alert>
      ) : error ? (
        <ErrorState error={error} />
      ) : !info ? (
        <Loading />
      ) : (
        <>
          <Paragraph>{t("pageLink.intro", { person: info.person, until: formatDateTime(info.expires_at) })}</Paragraph>
          <Paragraph>
            {t("pageLink.what", { severity: pageWord(language, "severity", info.severity), source: pageWord(language, "source", info.source) })}{" "}
            <PageStateBadge state={info.state} />
          </Paragraph>
          <OutcomeAlert outcome={outcome} />
          {!answered && info.state !== "resolved" && (
            <span className="baken-actions">
              {info.state === "triggered" && (
                <Button appearance="primary-action-button" onClick={() => void answer("acknowledge")}>
                  {t("pages.acknowledge")}
                </Button>
              )}
              <Button appearance="secondary-action-button" onClick={() => void answer("resolve")}>
                {t("pages.resolve")}
              </Button>
            </span>
          )}
          <Paragraph>{t("pageLink.details")}</Paragraph>
        </>
      )}
    </>
  );
}
