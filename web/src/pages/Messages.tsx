// The notification messages a member received from the CERT: feed digests, vulnerability
// warnings and weekly overviews, newest first. (Analysts use the outbox page.)
import { Paragraph, TableCell, TableRow } from "@utrecht/component-library-react";
import type { OutboxMessage } from "../api";
import { useI18n } from "../i18n";
import { useResource } from "../resource";
import { PageHeading } from "../components/PageHeading";
import { DataTable } from "../components/Table";
import { Empty, Show } from "../components/States";

export function MessageTable({ messages, caption }: { messages: OutboxMessage[]; caption: string }) {
  const { t, formatDateTime } = useI18n();
  return (
    <DataTable
      caption={caption}
      headers={[t("messages.sent"), t("messages.kind"), t("outbox.subject"), t("outbox.recipients"), "TLP"]}
    >
      {messages.map((message) => (
        <TableRow key={message.id}>
          <TableCell>{formatDateTime(message.sent_at)}</TableCell>
          <TableCell>{t(`messageKind.${message.kind}`)}</TableCell>
          <TableCell>{message.subject}</TableCell>
          <TableCell>{message.recipients.join(", ")}</TableCell>
          <TableCell>TLP:{message.tlp}</TableCell>
        </TableRow>
      ))}
    </DataTable>
  );
}

export function Messages() {
  const { t } = useI18n();
  const [messages] = useResource<{ messages: OutboxMessage[] }>("/outbox?limit=200");
  return (
    <>
      <PageHeading title={t("messages.title")} />
      <Paragraph>{t("messages.intro")}</Paragraph>
      <Show
        resource={messages}
        render={({ messages: list }) =>
          list.length === 0 ? (
            <Empty>{t("messages.none")}</Empty>
          ) : (
            <MessageTable messages={list} caption={t("messages.title")} />
          )
        }
      />
    </>
  );
}
