// What came of an action on a page: done (a status message in the reader's language, perhaps
// with a way to undo it) or refused: the server's reason, shown in the reader's language from
// its code (problems.ts), or the portal's own reason, already in the reader's language.
import { Alert, Paragraph } from "@utrecht/component-library-react";
import { useEffect, useRef } from "react";
import { ApiError } from "../api";
import { useI18n } from "../i18n";
import { ProblemText } from "./States";
import { UndoNotice } from "./UndoNotice";

export interface UndoOffer {
  // What undoing brings back, when it is not exactly what was there.
  note?: string;
  run: () => Promise<void>;
}

export type Outcome =
  | { ok: true; text: string; undo?: UndoOffer }
  | { ok: false; error: ApiError }
  | { ok: false; text: string }
  | null;

export function done(text: string, undo?: UndoOffer): Outcome {
  return undo ? { ok: true, text, undo } : { ok: true, text };
}

export function refused(error: unknown): Outcome {
  return { ok: false, error: error instanceof ApiError ? error : new ApiError(0, String(error)) };
}

// Refused by the portal before asking the server, with a reason in the reader's language.
export function refusedHere(text: string): Outcome {
  return { ok: false, text };
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
        {outcome.undo ? (
          <UndoNotice text={outcome.text} note={outcome.undo.note} onUndo={outcome.undo.run} />
        ) : (
          <Paragraph>{outcome.text}</Paragraph>
        )}
      </Alert>
    );
  }
  return (
    <Alert type="error" role="alert" ref={alert} tabIndex={-1}>
      {"error" in outcome ? (
        <ProblemText error={outcome.error} intro={t("form.refused")} />
      ) : (
        <Paragraph>{outcome.text}</Paragraph>
      )}
    </Alert>
  );
}
