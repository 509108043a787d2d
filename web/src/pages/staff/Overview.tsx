// The analysts' overview: the dashboard over every member, or over the member chosen.
import { useSearchParams } from "react-router";
import type { MemberName } from "../../api";
import { useI18n } from "../../i18n";
import { useResource } from "../../resource";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { PageHeading } from "../../components/PageHeading";
import { Dashboard } from "../Dashboard";

export function StaffOverview() {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const member = search.get("member") ?? "";
  const [members] = useResource<{ members: MemberName[] }>("/members?fields=names");
  const list = members.status === "ready" ? members.data.members : [];
  return (
    <>
      <PageHeading title={t("dashboard.title")} />
      <div className="baken-toolbar">
        <FormFieldSelect<string>
          id="overview-member"
          label={t("dashboard.scope")}
          value={member}
          options={[
            { value: "", label: t("dashboard.allMembers") },
            ...list.map((m) => ({ value: m.code, label: `${m.name} (${m.code})` })),
          ]}
          onChange={(value) => setSearch(value ? { member: value } : {})}
        />
      </div>
      <Dashboard key={member} member={member || undefined} />
    </>
  );
}
