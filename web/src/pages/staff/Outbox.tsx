// Notification messages: pending, held (with the reason), sent and failed; a held TLP:RED
// message can be released after an analyst's decision.
import {
  Button,
  ButtonGroup,
  FormField,
  FormLabel,
  Paragraph,
  Select,
  SelectOption,
  TableCell,
  TableRow,
} from "@utrecht/component-library-react";
import { useState } from "react";
import { api } from "../../api";
import type { Member, OutboxMessage } from "../../api";
import { useI18n } from "../../i18n";
import { useResource } from "../../resource";
import { DataTable } from "../../components/Table";
import { Empty, Show } from "../../components/States";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import type { Outcome } from "../../components/Outcome";
import { PageHeading } from "../../components/PageHeading";
import { useConfirm } from "../../components/Confirm";
import type { ConfirmRequest } from "../../components/Confirm";

const kStates = ["", "pending", "held", "sending", "sent", "failed", "unknown"] as const;
type StateFilter = (typeof kStates)[number];
const kDone = { release: "outbox.released", confirm: "outbox.confirmed", resend: "outbox.resent" } as const;

export function Outbox() {
  const { t, formatDateTime } = useI18n();
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
        confirmLabel: t("outbox.resend"),
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
      <FormField>
        <FormLabel htmlFor="outbox-state">{t("outbox.filter")}</FormLabel>
        <Select id="outbox-state" value={state} onChange={(event) => setState((event.target as HTMLSelectElement).value as StateFilter)}>
          {kStates.map((value) => (
            <SelectOption key={value} value={value}>
              {value === "" ? t("outbox.all") : t(`outboxState.${value}`)}
            </SelectOption>
          ))}
        </Select>
      </FormField>
      <OutcomeAlert outcome={outcome} />
      <Show
        resource={messages}
        render={({ messages: list }) =>
          list.length === 0 ? (
            <Empty>{t("outbox.none")}</Empty>
          ) : (
            <DataTable
              caption={t("outbox.title")}
              headers={["#", t("outbox.state"), t("members.member"), t("outbox.subject"), t("outbox.recipients"), t("outbox.created"), t("form.actions")]}
            >
              {list.map((message) => (
                <TableRow key={message.id}>
                  <TableCell>{message.id}</TableCell>
                  <TableCell>
                    {t(`outboxState.${message.state}`)}
                    {message.reason && <span className="baken-reason"> — {message.reason}</span>}
                  </TableCell>
                  <TableCell>
                    {nameOf(message.member)} <span className="baken-code">({message.member})</span>
                  </TableCell>
                  <TableCell>{message.subject}</TableCell>
                  <TableCell>{message.recipients.join(", ") || "—"}</TableCell>
                  <TableCell>
                    {formatDateTime(message.created_at)}
                    {message.sent_at && (
                      <>
                        <br />
                        {t("outbox.sentAt", { when: formatDateTime(message.sent_at) })}
                      </>
                    )}
                  </TableCell>
                  <TableCell>
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
                          {t("outbox.resend")}
                        </Button>
                      </ButtonGroup>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </DataTable>
          )
        }
      />
    </>
  );
}
