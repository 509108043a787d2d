// The signed-in user's own account: the second factor (an authenticator app's codes), which a
// user turns on by scanning a QR code and typing the first code, and off with a current code;
// both ask for the password again, so that a stolen session cannot change it. And the user's
// own API tokens: made (shown once), listed and revoked. The password is changed here (the
// current one again, and the other sessions end), and the user's sessions can be ended one by
// one, this one too (which signs out).
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
import type { ApiToken, NewApiToken, OwnSession, Session, TotpOffer } from "../api";
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
      <PasswordChange />
      <OwnSessions />
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

// Changing the password: the current one again (a stolen session alone cannot do it) and the
// new one twice. Every other session of the account ends; this one stays.
function PasswordChange() {
  const { t } = useI18n();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [errors, setErrors] = useState<{ current?: string; next?: string; repeat?: string }>({});
  const [outcome, setOutcome] = useOutcome("password");

  async function submit(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    const found: typeof errors = {};
    if (!current) found.current = t("signIn.passwordMissing");
    if (next.length < 12) found.next = t("password.tooShort");
    else if (next === current) found.next = t("account.passwordUnchanged");
    if (repeat !== next) found.repeat = t("password.mismatch");
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      await api("/session/password", {
        method: "POST",
        body: { current_password: current, new_password: next },
      });
      setCurrent("");
      setNext("");
      setRepeat("");
      setOutcome(done(t("password.changed")));
    } catch (error) {
      setCurrent("");
      const code = error instanceof ApiError ? error.code : undefined;
      if (code === "session.password_wrong") setErrors({ current: t("account.passwordWrong") });
      else if (code === "password.too_short") setErrors({ next: t("password.tooShort") });
      else if (code === "password.unchanged") setErrors({ next: t("account.passwordUnchanged") });
      else setOutcome(refused(error));
    }
  }

  return (
    <section aria-labelledby="password-title" className="baken-section">
      <Heading2 id="password-title">{t("password.title")}</Heading2>
      <Paragraph>{t("password.intro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      <form onSubmit={(event) => void submit(event)} noValidate className="baken-form">
        <FormFieldTextbox
          id="password-current"
          label={t("password.current")}
          type="password"
          autoComplete="current-password"
          value={current}
          invalid={Boolean(errors.current)}
          errorMessage={errors.current}
          onChange={(event) => setCurrent((event.target as HTMLInputElement).value)}
        />
        <FormFieldTextbox
          id="password-new"
          label={t("password.new")}
          description={t("password.newHint")}
          type="password"
          autoComplete="new-password"
          value={next}
          invalid={Boolean(errors.next)}
          errorMessage={errors.next}
          onChange={(event) => setNext((event.target as HTMLInputElement).value)}
        />
        <FormFieldTextbox
          id="password-repeat"
          label={t("password.repeat")}
          type="password"
          autoComplete="new-password"
          value={repeat}
          invalid={Boolean(errors.repeat)}
          errorMessage={errors.repeat}
          onChange={(event) => setRepeat((event.target as HTMLInputElement).value)}
        />
        <Button type="submit" appearance="primary-action-button">
          {t("password.submit")}
        </Button>
      </form>
    </section>
  );
}

// The user's sessions (browsers signed in as this user): where and when each began and when it
// was last used, this one marked. Ending this one signs out here.
function OwnSessions() {
  const { t, formatDateTime } = useI18n();
  const { signOut } = useSession();
  const [sessions, reload] = useResource<{ sessions: OwnSession[] }>("/session/sessions");
  const [outcome, setOutcome] = useOutcome("sessions");
  const [confirm, confirmDialog] = useConfirm();

  async function revoke(session: OwnSession) {
    setOutcome(null);
    const when = formatDateTime(session.created_at);
    const confirmed = await confirm({
      title: t(session.current ? "sessions.endCurrentQuestion" : "sessions.endQuestion", { when }),
      consequence: t(session.current ? "sessions.endCurrentConsequence" : "sessions.endConsequence"),
      confirmLabel: t("sessions.end"),
      danger: true,
    });
    if (!confirmed) return;
    try {
      await api(`/session/sessions/${session.id}`, { method: "DELETE" });
      if (session.current) {
        // The server ended it and cleared the cookie: the sign-in page follows.
        await signOut();
        return;
      }
      setOutcome(done(t("sessions.ended", { when })));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <section aria-labelledby="sessions-title" className="baken-section">
      {confirmDialog}
      <Heading2 id="sessions-title">{t("sessions.title")}</Heading2>
      <Paragraph>{t("sessions.intro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      <Show
        resource={sessions}
        render={({ sessions: list }) => (
          <DataTable
            caption={t("sessions.title")}
            rows={list}
            rowKey={(session) => session.id}
            columns={[
              {
                key: "created",
                header: t("sessions.created"),
                cell: (session) => (
                  <>
                    {formatDateTime(session.created_at)}
                    {session.current && <strong>{` (${t("sessions.current")})`}</strong>}
                  </>
                ),
              },
              {
                key: "used",
                header: t("sessions.lastUsed"),
                cell: (session) => (session.last_used_at ? formatDateTime(session.last_used_at) : "–"),
              },
              { key: "source", header: t("sessions.source"), cell: (session) => session.source || "–" },
              { key: "expires", header: t("sessions.expires"), cell: (session) => formatDateTime(session.expires_at) },
              {
                key: "actions",
                header: t("tokens.action"),
                actions: true,
                cell: (session) => (
                  <Button
                    appearance="secondary-action-button"
                    hint="danger"
                    onClick={() => void revoke(session)}
                    aria-label={t(session.current ? "sessions.endCurrentLabel" : "sessions.endLabel", {
                      when: formatDateTime(session.created_at),
                    })}
                  >
                    {t("sessions.end")}
                  </Button>
                ),
              },
            ]}
          />
        )}
      />
    </section>
  );
}
