// A member's registered data: contacts, IP ranges, AS numbers, domains and ICT assets.
// Each list is saved whole (PUT), as the API takes it; new IP ranges, AS numbers and domains
// wait for an analyst's approval.
import { Paragraph } from "@utrecht/component-library-react";
import { useParams } from "react-router";
import type { Member } from "../api";
import { useI18n } from "../i18n";
import { useResource } from "../resource";
import { PageHeading } from "../components/PageHeading";
import { Show } from "../components/States";
import { ContactsEditor } from "./member/ContactsEditor";
import { ClaimsEditor } from "./member/ClaimsEditor";
import { AssetsEditor } from "./member/AssetsEditor";
import { isStaff, useSignedIn } from "../session";

export function MemberData() {
  const { t, formatDateTime } = useI18n();
  const { code = "" } = useParams();
  const [member, reload] = useResource<Member>(`/members/${encodeURIComponent(code)}`);
  // An analyst reads another organisation's data here, and is not addressed as its owner.
  const staff = isStaff(useSignedIn());
  return (
    <Show
      resource={member}
      render={(data) => (
        <>
          <PageHeading title={data.name}>
            {data.name} <span className="baken-code">({data.code})</span>
          </PageHeading>
          <Paragraph>
            {staff
              ? data.data_confirmed_at
                ? t("members.confirmedAtOf", { member: data.name, when: formatDateTime(data.data_confirmed_at) })
                : t("members.neverConfirmedOf", { member: data.name })
              : data.data_confirmed_at
                ? t("overview.confirmedAt", { when: formatDateTime(data.data_confirmed_at) })
                : t("overview.neverConfirmed")}
          </Paragraph>
          <ContactsEditor code={data.code} contacts={data.contacts ?? []} onSaved={reload} />
          <ClaimsEditor code={data.code} memberName={data.name} kind="netblock" claims={data.netblocks ?? []} onSaved={reload} />
          <ClaimsEditor code={data.code} memberName={data.name} kind="asn" claims={data.asns ?? []} onSaved={reload} />
          <ClaimsEditor code={data.code} memberName={data.name} kind="domain" claims={data.domains ?? []} onSaved={reload} />
          <AssetsEditor code={data.code} assets={data.assets ?? []} onSaved={reload} />
        </>
      )}
    />
  );
}
