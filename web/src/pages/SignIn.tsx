import {
  Alert,
  Button,
  FormFieldTextbox,
  Heading1,
  Paragraph,
} from "@utrecht/component-library-react";
import { useState } from "react";
import type { FormEvent } from "react";
import { ApiError } from "../api";
import { useI18n } from "../i18n";
import { useSession } from "../session";

export function SignIn() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const errors: { email?: string; password?: string } = {};
    if (!email.includes("@")) errors.email = t("signIn.emailInvalid");
    if (password === "") errors.password = t("signIn.passwordMissing");
    setFieldErrors(errors);
    setRefusal(null);
    if (errors.email || errors.password) return;
    setBusy(true);
    try {
      await signIn(email.trim(), password);
    } catch (error) {
      setRefusal(
        error instanceof ApiError && error.status === 401
          ? t("signIn.refused")
          : t("state.error", {
              status: error instanceof ApiError ? error.status : 0,
              detail: String(error instanceof ApiError ? error.detail : error),
            }),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="baken-narrow" aria-labelledby="sign-in-title">
      <Heading1 id="sign-in-title">{t("signIn.title")}</Heading1>
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
        <Button type="submit" appearance="primary-action-button" busy={busy} disabled={busy}>
          {t("signIn.submit")}
        </Button>
      </form>
    </section>
  );
}
