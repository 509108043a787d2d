// What came of an action on a page: done (a status message in the reader's language) or
// refused (the server's reason, which is in English and marked so).
import { Alert, Paragraph } from "@utrecht/component-library-react";
import { ApiError } from "../api";
import { useI18n } from "../i18n";

export type Outcome = { ok: true; text: string } | { ok: false; detail: string } | null;

export function done(text: string): Outcome {
  return { ok: true, text };
}

export function refused(error: unknown): Outcome {
  const detail = error instanceof ApiError ? error.detail || `HTTP ${error.status}` : String(error);
  return { ok: false, detail };
}

export function OutcomeAlert({ outcome }: { outcome: Outcome }) {
  const { t } = useI18n();
  if (!outcome) return null;
  if (outcome.ok) {
    return (
      <Alert type="ok" role="status">
        <Paragraph>{outcome.text}</Paragraph>
      </Alert>
    );
  }
  return (
    <Alert type="error" role="alert">
      <Paragraph>
        {t("form.refused")} <span lang="en">{outcome.detail}</span>
      </Paragraph>
    </Alert>
  );
}
