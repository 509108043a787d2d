// The signed-in user's own account: the second factor (an authenticator app's codes), which a
// user turns on by scanning a QR code and typing the first code, and off with a current code;
// both ask for the password again, so that a stolen session cannot change it. And the user's
// own API tokens: made (shown once), listed and revoked.
import {
  Alert,
  Button,
  FormFieldTextbox,
  Heading2,
  Paragraph,
} from "@utrecht/component-library-react";
import { useState } from "react";
import type { FormEvent } from "react";
import { ApiError, api } from "../api";
import type { ApiToken, NewApiToken, Session, TotpOffer } from "../api";
import { useI18n } from "../i18n";
import { useResource } from "../resource";
import { useSession, useSignedIn } from "../session";
import { PageHeading } from "../components/PageHeading";
import { OutcomeAlert, done, refused } from "../components/Outcome";
import { useOutcome } from "../components/PageStatus";
import { useConfirm } from "../components/Confirm";
import { DataTable } from "../components/Table";
import { Empty, Show } from "../components/States";

function svgDataUri(svg: string): string {
  // The page's CSP allows images from data: URIs, not inline markup.
  return `data:image/svg+xml;base64,${btoa(svg)}`;
}

export function Account() {
  const { t } = useI18n();
  const session = useSignedIn();
  const { adopt } = useSession();
  const [offer, setOffer] = useState<TotpOffer | null>(null);
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string | null>(null);
  const [password, setPassword] = useState("");
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [outcome, setOutcome] = useOutcome("totp");

  async function start() {
    setOutcome(null);
    try {
      setOffer(await api<TotpOffer>("/session/totp", { method: "POST" }));
      setCode("");
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  async function submit(event: FormEvent, action: "confirm" | "disable") {
    event.preventDefault();
    setOutcome(null);
    const codeWrong = !/^\d{6}$/.test(code.trim());
    setCodeError(codeWrong ? t("signIn.codeInvalid") : null);
    setPasswordError(password ? null : t("signIn.passwordMissing"));
    if (codeWrong || !password) return;
    try {
      const next = await api<Session>(`/session/totp/${action}`, {
        method: "POST",
        body: { password, code: code.trim() },
      });
      adopt({ ...session, ...next });
      setOffer(null);
      setCode("");
      setPassword("");
      setOutcome(done(t(action === "confirm" ? "account.totpOn" : "account.totpOff")));
    } catch (error) {
      setPassword("");
      // The problem's code says which field was refused.
      if (error instanceof ApiError && error.code === "session.password_wrong") {
        setPasswordError(t("account.passwordWrong"));
      } else if (error instanceof ApiError && error.code === "session.code_wrong") {
        setCodeError(t("account.codeWrong"));
      } else {
        setOutcome(refused(error));
      }
    }
  }

  const passwordField = (
    <FormFieldTextbox
      id="account-password"
      label={t("signIn.password")}
      description={t("account.passwordHint")}
      type="password"
      autoComplete="current-password"
      value={password}
      invalid={Boolean(passwordError)}
      errorMessage={passwordError ?? undefined}
      onChange={(event) => setPassword((event.target as HTMLInputElement).value)}
    />
  );

  const codeField = (
    <FormFieldTextbox
      id="totp-code"
      label={t("signIn.code")}
      description={t("signIn.codeHint")}
      autoComplete="one-time-code"
      maxLength={6}
      value={code}
      invalid={Boolean(codeError)}
      errorMessage={codeError ?? undefined}
      onChange={(event) => setCode((event.target as HTMLInputElement).value)}
    />
  );

  return (
    <>
      <PageHeading title={t("account.title")} />
      <Paragraph>{t("account.signedInAs", { email: session.email })}</Paragraph>
      <section aria-labelledby="totp-title" className="baken-section">
        <Heading2 id="totp-title">{t("account.totpTitle")}</Heading2>
        <Paragraph>{t("account.totpIntro")}</Paragraph>
        <OutcomeAlert outcome={outcome} />
        <Paragraph>
          <strong>{session.totp ? t("account.totpStateOn") : t("account.totpStateOff")}</strong>
        </Paragraph>
        {!session.totp && !offer && (
          <Button appearance="primary-action-button" onClick={() => void start()}>
            {t("account.totpStart")}
          </Button>
        )}
        {!session.totp && offer && (
          <form onSubmit={(event) => void submit(event, "confirm")} noValidate className="baken-form">
            <Paragraph>{t("account.scan")}</Paragraph>
            <img className="baken-qr" src={svgDataUri(offer.qr_svg)} alt={t("account.qrAlt")} width={200} height={200} />
            <Paragraph>
              {t("account.typeSecret")} <code className="baken-secret">{offer.secret}</code>
            </Paragraph>
            {codeField}
            {passwordField}
            <Button type="submit" appearance="primary-action-button">
              {t("account.totpConfirm")}
            </Button>
          </form>
        )}
        {session.totp && (
          <form onSubmit={(event) => void submit(event, "disable")} noValidate className="baken-form">
            <Paragraph>{t("account.disableIntro")}</Paragraph>
            {codeField}
            {passwordField}
            <Button type="submit" appearance="secondary-action-button" hint="danger">
              {t("account.totpDisable")}
            </Button>
          </form>
        )}
      </section>
      <ApiTokens />
    </>
  );
}

// The user's own API tokens, for scripts: a new one is shown once, in full; the list shows
// what each is for and when it stops working.
function ApiTokens() {
  const { t, formatDateTime } = useI18n();
  const [tokens, reload] = useResource<{ tokens: ApiToken[] }>("/session/tokens");
  const [label, setLabel] = useState("");
  const [days, setDays] = useState("365");
  const [daysError, setDaysError] = useState<string | null>(null);
  const [made, setMade] = useState<NewApiToken | null>(null);
  const [outcome, setOutcome] = useOutcome("tokens");
  const [confirm, confirmDialog] = useConfirm();

  async function create(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    setMade(null);
    const count = Number(days.trim());
    if (!/^\d+$/.test(days.trim()) || count < 1 || count > 1096) {
      setDaysError(t("tokens.daysInvalid"));
      return;
    }
    setDaysError(null);
    try {
      setMade(
        await api<NewApiToken>("/session/tokens", {
          method: "POST",
          body: { label: label.trim(), expires_in_days: count },
        }),
      );
      setLabel("");
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  // Revoking cannot be undone: a script that uses the token stops working, and only a new
  // token (put into the script) brings it back.
  async function revoke(token: ApiToken) {
    setOutcome(null);
    setMade(null);
    const name = token.label || `#${token.id}`;
    const confirmed = await confirm({
      title: t("tokens.revokeQuestion", { name }),
      consequence: t("tokens.revokeConsequence"),
      confirmLabel: t("tokens.revokeShort"),
      danger: true,
    });
    if (!confirmed) return;
    try {
      await api(`/session/tokens/${token.id}`, { method: "DELETE" });
      setOutcome(done(t("tokens.revoked", { name: token.label || `#${token.id}` })));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <section aria-labelledby="tokens-title" className="baken-section">
      {confirmDialog}
      <Heading2 id="tokens-title">{t("tokens.title")}</Heading2>
      <Paragraph>{t("tokens.intro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      {made && (
        <Alert type="ok" role="status">
          <Paragraph>{t("tokens.madeOnce", { date: formatDateTime(made.expires_at) })}</Paragraph>
          <Paragraph>
            {t("tokens.newToken")}: <code className="baken-secret">{made.token}</code>
          </Paragraph>
        </Alert>
      )}
      <Show
        resource={tokens}
        render={({ tokens: list }) =>
          list.length === 0 ? (
            <Empty>{t("tokens.none")}</Empty>
          ) : (
            <DataTable
              caption={t("tokens.title")}
              rows={list}
              rowKey={(token) => token.id}
              columns={[
                { key: "label", header: t("tokens.label"), cell: (token) => token.label || `#${token.id}` },
                { key: "created", header: t("tokens.created"), cell: (token) => formatDateTime(token.created_at) },
                { key: "expires", header: t("tokens.expires"), cell: (token) => formatDateTime(token.expires_at) },
                {
                  key: "actions",
                  header: t("tokens.action"),
                  actions: true,
                  cell: (token) => (
                    <Button
                      appearance="secondary-action-button"
                      hint="danger"
                      onClick={() => void revoke(token)}
                      aria-label={t("tokens.revoke", { name: token.label || `#${token.id}` })}
                    >
                      {t("tokens.revokeShort")}
                    </Button>
                  ),
                },
              ]}
            />
          )
        }
      />
      <form onSubmit={(event) => void create(event)} noValidate className="baken-form">
        <FormFieldTextbox
          id="token-label"
          label={t("tokens.label")}
          description={t("tokens.labelHint")}
          maxLength={100}
          value={label}
          onChange={(event) => setLabel((event.target as HTMLInputElement).value)}
        />
        <FormFieldTextbox
          id="token-days"
          label={t("tokens.days")}
          description={t("tokens.daysHint")}
          inputMode="numeric"
          value={days}
          invalid={Boolean(daysError)}
          errorMessage={daysError ?? undefined}
          onChange={(event) => setDays((event.target as HTMLInputElement).value)}
        />
        <Button type="submit" appearance="primary-action-button">
          {t("tokens.create")}
        </Button>
      </form>
    </section>
  );
}
