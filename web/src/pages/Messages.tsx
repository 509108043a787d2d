// The notification messages a member received from the CERT: feed digests, vulnerability
// warnings and weekly overviews, newest first. (Analysts use the outbox page.)
import { Paragraph } from "@utrecht/component-library-react";
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
      rows={messages}
      rowKey={(message) => message.id}
      columns={[
        { key: "sent", header: t("messages.sent"), cell: (message) => formatDateTime(message.sent_at) },
        { key: "kind", header: t("messages.kind"), cell: (message) => t(`messageKind.${message.kind}`) },
        { key: "subject", header: t("outbox.subject"), userContent: true, cell: (message) => message.subject },
        { key: "recipients", header: t("outbox.recipients"), cell: (message) => message.recipients.join(", ") },
        { key: "tlp", header: "TLP", cell: (message) => `TLP:${message.tlp}` },
      ]}
    />
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
