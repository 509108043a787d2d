// All members, with how fresh their data is: the analyst's start page.
import { Paragraph, StatusBadge } from "@utrecht/component-library-react";
import { Link } from "react-router";
import type { Member } from "../../api";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../messages";
import { useResource } from "../../resource";
import { DataTable } from "../../components/Table";
import { Empty, Show } from "../../components/States";
import { PageHeading } from "../../components/PageHeading";

const kStaleDays = 180;

export function Members() {
  const { t, formatDateTime } = useI18n();
  const [members] = useResource<{ members: Member[] }>("/members");
  return (
    <>
      <PageHeading title={t("members.title")} />
      <Paragraph>{t("members.intro", { days: kStaleDays })}</Paragraph>
      <Show
        resource={members}
        render={({ members: list }) => {
          if (list.length === 0) return <Empty>{t("members.none")}</Empty>;
          const now = Date.now();
          return (
            <DataTable
              caption={t("members.title")}
              rows={list}
              rowKey={(member) => member.code}
              columns={[
                {
                  key: "member",
                  header: t("members.member"),
                  cell: (member) => (
                    <>
                      <Link className="utrecht-link" to={`/members/${member.code}`}>
                        {member.name}
                      </Link>{" "}
                      ({member.code})
                    </>
                  ),
                },
                { key: "kind", header: t("members.kind"), cell: (member) => t(`memberKind.${member.kind}` as MessageKey) },
                {
                  key: "confirmed",
                  header: t("members.confirmed"),
                  cell: (member) => {
                    const confirmed = member.data_confirmed_at ? Date.parse(member.data_confirmed_at) : NaN;
                    const stale = Number.isNaN(confirmed) || now - confirmed > kStaleDays * 86400000;
                    return (
                      <>
                        {member.data_confirmed_at ? formatDateTime(member.data_confirmed_at) : t("members.never")}
                        {stale && (
                          <>
                            {" "}
                            <StatusBadge status="warning">{t("members.stale")}</StatusBadge>
                          </>
                        )}
                      </>
                    );
                  },
                },
                {
                  key: "pending",
                  header: t("members.pending"),
                  numeric: true,
                  cell: (member) =>
                    [...(member.netblocks ?? []), ...(member.asns ?? []), ...(member.domains ?? [])].filter(
                      (claim) => claim.state === "pending",
                    ).length,
                },
                { key: "assets", header: t("members.assets"), numeric: true, cell: (member) => member.assets?.length ?? 0 },
              ]}
            />
          );
        }}
      />
    </>
  );
}
