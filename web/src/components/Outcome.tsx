// What came of an action on a page: done (a status message in the reader's language) or
// refused (the server's reason, shown in the reader's language from its code: problems.ts).
import { Alert, Paragraph } from "@utrecht/component-library-react";
import { useEffect, useRef } from "react";
import { ApiError } from "../api";
import { useI18n } from "../i18n";
import { ProblemText } from "./States";

export type Outcome = { ok: true; text: string } | { ok: false; error: ApiError } | null;

export function done(text: string): Outcome {
  return { ok: true, text };
}

export function refused(error: unknown): Outcome {
  return { ok: false, error: error instanceof ApiError ? error : new ApiError(0, String(error)) };
}

// Takes the focus when it appears: the form that was used has often closed, and the reader
// should land on what happened rather than at the top of the page (WCAG 2.4.3).
export function OutcomeAlert({ outcome }: { outcome: Outcome }) {
  const { t } = useI18n();
  const alert = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) alert.current?.focus({ preventScroll: false });
  }, [outcome]);
  if (!outcome) return null;
  if (outcome.ok) {
    return (
      <Alert type="ok" role="status" ref={alert} tabIndex={-1}>
        <Paragraph>{outcome.text}</Paragraph>
      </Alert>
    );
  }
  return (
    <Alert type="error" role="alert" ref={alert} tabIndex={-1}>
      <ProblemText error={outcome.error} intro={t("form.refused")} />
    </Alert>
  );
}
