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
import { AlertDialog, Button, ButtonGroup, Heading2, Paragraph } from "@utrecht/component-library-react";
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
  return (
    <AlertDialog
      ref={dialog}
      type={request.danger ? "warning" : "info"}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-consequence`}
      className="baken-confirm"
      onCancel={(event) => {
        // Escape: the browser would close the dialog itself; the answer closes it instead.
        event.preventDefault();
        finish(false);
      }}
    >
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
    </AlertDialog>
  );
}
