// Notification messages: pending, held (with the reason), sent and failed; a held TLP:RED
// message can be released after an analyst's decision.
import {
  Button,
  ButtonGroup,
  Paragraph,
} from "@utrecht/component-library-react";
import { useState } from "react";
import { api } from "../../api";
import type { Member, OutboxMessage } from "../../api";
import { useI18n } from "../../i18n";
import { problemSentence } from "../../problems";
import { useResource } from "../../resource";
import { DataTable } from "../../components/Table";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { Empty, Show } from "../../components/States";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import type { Outcome } from "../../components/Outcome";
import { PageHeading } from "../../components/PageHeading";
import { useConfirm } from "../../components/Confirm";
import type { ConfirmRequest } from "../../components/Confirm";

const kStates = ["", "pending", "held", "sending", "sent", "failed", "unknown"] as const;
type StateFilter = (typeof kStates)[number];
const kDone = { release: "outbox.releaseDone", confirm: "outbox.confirmDone", resend: "outbox.resent" } as const;

export function Outbox() {
  const { t, formatDateTime, language } = useI18n();
  const [state, setState] = useState<StateFilter>("");
  const [messages, reload] = useResource<{ messages: OutboxMessage[] }>(
    `/outbox?limit=200${state ? `&state=${state}` : ""}`,
  );
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [confirm, confirmDialog] = useConfirm();
  const [members] = useResource<{ members: Member[] }>("/members");
  const names = new Map(members.status === "ready" ? members.data.members.map((m) => [m.code, m.name]) : []);
  const nameOf = (code: string) => names.get(code) ?? code;

  // Actions that cannot be taken back are asked first: releasing TLP:RED (it goes out and the
  // member's users see its findings), and sending again a message that may have arrived.
  function question(message: OutboxMessage, action: "release" | "confirm" | "resend"): ConfirmRequest | null {
    const recipients = message.recipients.join(", ");
    if (action === "release" && message.tlp === "RED") {
      return {
        title: t("outbox.releaseQuestion", { id: message.id }),
        consequence: t("outbox.releaseConsequence", { recipients, member: nameOf(message.member) }),
        confirmLabel: t("outbox.release"),
        danger: true,
      };
    }
    if (action === "resend" && message.state === "unknown") {
      return {
        title: t("outbox.resendQuestion", { id: message.id }),
        consequence: t("outbox.resendConsequence", { recipients }),
        confirmLabel: t("outbox.resendButton"),
      };
    }
    return null;
  }

  async function act(message: OutboxMessage, action: "release" | "confirm" | "resend") {
    setOutcome(null);
    const asked = question(message, action);
    if (asked && !(await confirm(asked))) return;
    try {
      await api(`/outbox/${message.id}/${action}`, { method: "POST" });
      setOutcome(done(t(kDone[action], { id: message.id })));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <>
      {confirmDialog}
      <PageHeading title={t("outbox.title")} />
      <Paragraph>{t("outbox.intro")}</Paragraph>
      <FormFieldSelect
        id="outbox-state"
        label={t("outbox.filter")}
        value={state}
        options={kStates.map((value) => ({ value, label: value === "" ? t("outbox.all") : t(`outboxState.${value}`) }))}
        onChange={setState}
      />
      <OutcomeAlert outcome={outcome} />
      {/* Shown once the names are known (or cannot be): a release asked before then would name
          the member by code only. */}
      <Show
        resource={members.status === "loading" ? { status: "loading" } : messages}
        render={({ messages: list }) =>
          list.length === 0 ? (
            <Empty>{t("outbox.none")}</Empty>
          ) : (
            <DataTable
              caption={t("outbox.title")}
              rows={list}
              rowKey={(message) => message.id}
              columns={[
                { key: "id", header: "#", numeric: true, cell: (message) => message.id },
                {
                  key: "state",
                  header: t("outbox.state"),
                  cell: (message) => (
                    <>
                      {t(`outboxState.${message.state}`)}
                      {message.reason && (
                        <span className="baken-reason">
                          {" — "}
                          {message.reason_code ? (
                            problemSentence(language, message.reason_code, message.reason_params)
                          ) : (
                            // A reason from before reasons had codes: the English sentence as
                            // it was stored, marked as English (WCAG 3.1.2).
                            <span lang="en">{message.reason}</span>
                          )}
                        </span>
                      )}
                    </>
                  ),
                },
                {
                  key: "member",
                  header: t("members.member"),
                  cell: (message) => (
                    <>
                      {nameOf(message.member)} <span className="baken-code">({message.member})</span>
                    </>
                  ),
                },
                { key: "subject", header: t("outbox.subject"), userContent: true, cell: (message) => message.subject },
                { key: "recipients", header: t("outbox.recipients"), cell: (message) => message.recipients.join(", ") || "—" },
                {
                  key: "created",
                  header: t("outbox.created"),
                  cell: (message) => (
                    <>
                      {formatDateTime(message.created_at)}
                      {message.sent_at && (
                        <>
                          <br />
                          {t("outbox.sentAt", { when: formatDateTime(message.sent_at) })}
                        </>
                      )}
                    </>
                  ),
                },
                {
                  key: "actions",
                  header: t("form.actions"),
                  actions: true,
                  cell: (message) => (
                    <>
                      {message.state === "held" && message.tlp === "RED" && message.recipients.length > 0 && (
                        <Button
                          appearance="primary-action-button"
                          hint="warning"
                          aria-label={t("outbox.releaseOne", { id: message.id })}
                          onClick={() => void act(message, "release")}
                        >
                          {t("outbox.release")}
                        </Button>
                      )}
                      {(message.state === "unknown" || message.state === "failed") && (
                        <ButtonGroup>
                          <Button
                            appearance="secondary-action-button"
                            aria-label={t("outbox.confirmOne", { id: message.id })}
                            onClick={() => void act(message, "confirm")}
                          >
                            {t("outbox.confirm")}
                          </Button>
                          <Button
                            appearance="secondary-action-button"
                            aria-label={t("outbox.resendOne", { id: message.id })}
                            onClick={() => void act(message, "resend")}
                          >
                            {t("outbox.resendButton")}
                          </Button>
                        </ButtonGroup>
                      )}
                    </>
                  ),
                },
              ]}
            />
          )
        }
      />
    </>
  );
}
