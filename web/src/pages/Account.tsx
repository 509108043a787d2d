// The signed-in user's own account: the second factor (an authenticator app's codes), which a
// user turns on by scanning a QR code and typing the first code, and off with a current code.
import {
  Button,
  FormFieldTextbox,
  Heading2,
  Paragraph,
} from "@utrecht/component-library-react";
import { useState } from "react";
import type { FormEvent } from "react";
import { ApiError, api } from "../api";
import type { Session, TotpOffer } from "../api";
import { useI18n } from "../i18n";
import { useSession, useSignedIn } from "../session";
import { PageHeading } from "../components/PageHeading";
import { OutcomeAlert, done, refused } from "../components/Outcome";
import type { Outcome } from "../components/Outcome";

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
  const [outcome, setOutcome] = useState<Outcome>(null);

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
    if (!/^\d{6}$/.test(code.trim())) {
      setCodeError(t("signIn.codeInvalid"));
      return;
    }
    setCodeError(null);
    try {
      const next = await api<Session>(`/session/totp/${action}`, {
        method: "POST",
        body: { code: code.trim() },
      });
      adopt({ ...session, ...next });
      setOffer(null);
      setCode("");
      setOutcome(done(t(action === "confirm" ? "account.totpOn" : "account.totpOff")));
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) setCodeError(t("account.codeWrong"));
      else setOutcome(refused(error));
    }
  }

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
            <Button type="submit" appearance="primary-action-button">
              {t("account.totpConfirm")}
            </Button>
          </form>
        )}
        {session.totp && (
          <form onSubmit={(event) => void submit(event, "disable")} noValidate className="baken-form">
            <Paragraph>{t("account.disableIntro")}</Paragraph>
            {codeField}
            <Button type="submit" appearance="secondary-action-button" hint="danger">
              {t("account.totpDisable")}
            </Button>
          </form>
        )}
      </section>
    </>
  );
}
