import {
  Alert,
  Button,
  FormFieldTextbox,
  Paragraph,
} from "@utrecht/component-library-react";
import { useEffect, useRef, useState } from "react";
import type { FormEvent } from "react";
import { ApiError } from "../api";
import { useI18n } from "../i18n";
import { useSession } from "../session";
import { PageHeading } from "../components/PageHeading";

export function SignIn() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  // Asked for once the password was right and the account has a second factor.
  const [codeAsked, setCodeAsked] = useState(false);
  const [code, setCode] = useState("");
  const codeInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (codeAsked) codeInput.current?.focus();
  }, [codeAsked]);
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string; code?: string }>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const errors: { email?: string; password?: string; code?: string } = {};
    if (!email.includes("@")) errors.email = t("signIn.emailInvalid");
    if (password === "") errors.password = t("signIn.passwordMissing");
    if (codeAsked && !/^\d{6}$/.test(code.trim())) errors.code = t("signIn.codeInvalid");
    setFieldErrors(errors);
    setRefusal(null);
    if (errors.email || errors.password || errors.code) return;
    setBusy(true);
    try {
      await signIn(email.trim(), password, codeAsked ? code.trim() : undefined);
    } catch (error) {
      if (error instanceof ApiError && error.secondFactor === "totp") {
        setCodeAsked(true);
        return;
      }
      setCode("");
      setRefusal(
        error instanceof ApiError && error.status === 401
          ? t(codeAsked ? "signIn.refusedWithCode" : "signIn.refused")
          : t("state.error", { status: error instanceof ApiError ? error.status : 0 }),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="baken-narrow" aria-labelledby="sign-in-title">
      <PageHeading id="sign-in-title" title={t("signIn.title")} />
      <Paragraph>{t("signIn.intro")}</Paragraph>
      {refusal && (
        <Alert type="error" role="alert">
          <Paragraph>{refusal}</Paragraph>
        </Alert>
      )}
      <form onSubmit={(event) => void submit(event)} noValidate className="baken-form">
        <FormFieldTextbox
          id="email"
          label={t("signIn.email")}
          name="email"
          type="email"
          autoComplete="username"
          value={email}
          invalid={Boolean(fieldErrors.email)}
          errorMessage={fieldErrors.email}
          onChange={(event) => setEmail((event.target as HTMLInputElement).value)}
        />
        <FormFieldTextbox
          id="password"
          label={t("signIn.password")}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          invalid={Boolean(fieldErrors.password)}
          errorMessage={fieldErrors.password}
          onChange={(event) => setPassword((event.target as HTMLInputElement).value)}
        />
        {codeAsked && (
          <FormFieldTextbox
            id="code"
            label={t("signIn.code")}
            description={t("signIn.codeHint")}
            name="code"
            autoComplete="one-time-code"
            inputRef={codeInput}
            maxLength={6}
            value={code}
            invalid={Boolean(fieldErrors.code)}
            errorMessage={fieldErrors.code}
            onChange={(event) => setCode((event.target as HTMLInputElement).value)}
          />
        )}
        <Button type="submit" appearance="primary-action-button" busy={busy} disabled={busy}>
          {t("signIn.submit")}
        </Button>
      </form>
      <Paragraph>
        {t("signIn.researcher")} <a href="/report-vulnerability">{t("signIn.researcherLink")}</a>
      </Paragraph>
    </section>
  );
}
