// What a removal did, with a way back: "192.0.2.0/24 is verwijderd. [Ongedaan maken]". The
// notice stays until the next action on the page (no time limit to race, WCAG 2.2.1); `note`
// says honestly what undoing brings back when that is not exactly what was there.
import { Button, Paragraph } from "@utrecht/component-library-react";
import { useId, useState } from "react";
import { useI18n } from "../i18n";

export function UndoNotice({
  text,
  note,
  onUndo,
}: {
  // What was done: "192.0.2.0/24 is verwijderd."
  text: string;
  // What undoing brings back, when it differs from what was there (a claim that returns as a
  // request to review again).
  note?: string;
  // Puts it back; reports its own outcome (which replaces this notice).
  onUndo: () => Promise<void>;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const id = useId();
  return (
    <div className="baken-undo">
      <Paragraph id={id}>
        {text} {note}
      </Paragraph>
      <Button
        appearance="secondary-action-button"
        disabled={busy}
        aria-describedby={id}
        onClick={() => {
          setBusy(true);
          void onUndo().finally(() => setBusy(false));
        }}
      >
        {busy ? t("undo.busy") : t("undo.action")}
      </Button>
    </div>
  );
}
