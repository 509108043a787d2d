// Asking before an action that is hard or impossible to take back: a modal native <dialog>
// (NL Design System's alert dialog) that names the consequence in words, so that nobody
// removes a range, moves findings to another member or releases TLP:RED with one stray click.
//
//   const [confirm, confirmDialog] = useConfirm();
//   if (!(await confirm({ title, consequence, confirmLabel, danger: true }))) return;
//   ...
//   return <>{confirmDialog}...</>;
//
// The dialog is modal (the rest of the page is inert), opens with the focus on "Cancel" (the
// harmless answer: Enter or a double click does nothing irreversible), closes on Escape as a
// cancel, and gives the focus back to whatever had it before, when that is still on the page.
import { Button, ButtonGroup, Heading2, Paragraph } from "@utrecht/component-library-react";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import type { ReactNode } from "react";
import { useI18n } from "../i18n";
import "./Confirm.css";

export interface ConfirmRequest {
  // The question, naming the object: "192.0.2.0/24 verwijderen?"
  title: string;
  // What happens when confirmed, in words the reader knows; one or more sentences.
  consequence: ReactNode;
  // The button that does it: "Verwijderen", "Goedkeuren", "Vrijgeven".
  confirmLabel: string;
  // Marks the confirming button as dangerous (removing, exposing).
  danger?: boolean;
}

interface Pending {
  request: ConfirmRequest;
  opener: Element | null;
  resolve: (confirmed: boolean) => void;
}

export function useConfirm(): [(request: ConfirmRequest) => Promise<boolean>, ReactNode] {
  const [pending, setPending] = useState<Pending | null>(null);
  const confirm = useCallback(
    (request: ConfirmRequest) =>
      new Promise<boolean>((resolve) => {
        // Taken now: once the dialog is open, the active element is inside it.
        setPending({ request, opener: document.activeElement, resolve });
      }),
    [],
  );
  // Called once the dialog is closed: the page is no longer inert, so the opener can take the
  // focus back.
  const answer = useCallback(
    (confirmed: boolean) => {
      if (!pending) return;
      setPending(null);
      if (pending.opener instanceof HTMLElement && pending.opener.isConnected) {
        pending.opener.focus();
      }
      pending.resolve(confirmed);
    },
    [pending],
  );
  const dialog = pending ? <ConfirmDialog request={pending.request} onAnswer={answer} /> : null;
  return [confirm, dialog];
}

// The dialog itself; `onAnswer` is called once it has closed.
export function ConfirmDialog({
  request,
  onAnswer,
}: {
  request: ConfirmRequest;
  onAnswer: (confirmed: boolean) => void;
}) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const id = useId();
  const finish = (confirmed: boolean) => {
    dialog.current?.close();
    onAnswer(confirmed);
  };
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (!element.open) element.showModal();
    cancel.current?.focus();
    return () => {
      if (element.open) element.close();
    };
  }, []);
  // NL Design System's alert dialog markup, written out: its React AlertDialog drops the
  // className it is given (component-library-react 14.0.1), which the size below needs.
  const type = request.danger ? "warning" : "info";
  return (
    <dialog
      ref={dialog}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-consequence`}
      className={`utrecht-alert-dialog utrecht-alert-dialog--${type} baken-confirm`}
      onCancel={(event) => {
        // Escape: the browser would close the dialog itself; the answer closes it instead.
        event.preventDefault();
        finish(false);
      }}
    >
      <div className="utrecht-alert-dialog__message">
        <Heading2 id={`${id}-title`}>{request.title}</Heading2>
        <Paragraph id={`${id}-consequence`}>{request.consequence}</Paragraph>
        <ButtonGroup>
          <Button
            appearance="primary-action-button"
            hint={request.danger ? "danger" : undefined}
            onClick={() => finish(true)}
          >
            {request.confirmLabel}
          </Button>
          <Button ref={cancel} appearance="secondary-action-button" onClick={() => finish(false)}>
            {t("form.cancel")}
          </Button>
        </ButtonGroup>
      </div>
    </dialog>
  );
}
