// Suppliers and chain partners (decision 0018): the directory analysts keep (name, kind,
// description, the vendor names under which their products appear in members' inventories,
// and their contacts), a partner's page with the members that use it and the action "supplier
// hacked" (one coordinating incident with every one of them taking part), and a member's page
// where its users say which suppliers it uses.
import {
  Button,
  ButtonGroup,
  Checkbox,
  Fieldset,
  FieldsetLegend,
  FormFieldTextarea,
  FormFieldTextbox,
  FormLabel,
  Heading2,
  Paragraph,
} from "@utrecht/component-library-react";
import { useState } from "react";
import type { FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../../api";
import type { Incident, Partner, PartnerContact, PartnerContactRole, PartnerKind, PartnerMember } from "../../api";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../messages";
import { useResource } from "../../resource";
import { useConfirm } from "../../components/Confirm";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, done, refused, refusedHere } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { Empty, Show } from "../../components/States";
import { DataTable } from "../../components/Table";
import { UserText } from "../../components/UserText";
import { markUserContent } from "./shared";

const kKinds: PartnerKind[] = ["supplier", "chain_partner"];
const kContactRoles: PartnerContactRole[] = ["security", "account_manager", "oncall"];

function kindLabel(t: (key: MessageKey) => string, kind: string): string {
  return t(`partners.kind.${kind}` as MessageKey);
}

// The directory, by name, and a form for a new partner.
export function Partners() {
  const { t } = useI18n();
  const [list, reload] = useResource<{ partners: Partner[] }>("/partners");
  const navigate = useNavigate();
  return (
    <>
      <PageHeading title={t("partners.title")} />
      <Paragraph>{t("partners.intro")}</Paragraph>
      <Show
        resource={list}
        render={({ partners }) =>
          partners.length === 0 ? (
            <Empty>{t("partners.none")}</Empty>
          ) : (
            <DataTable
              caption={t("partners.title")}
              rows={partners}
              rowKey={(partner) => partner.id}
              columns={[
                {
                  key: "name",
                  header: t("partners.name"),
                  userContent: true,
                  cell: (partner) => (
                    <Link className="utrecht-link" to={`/partners/${partner.id}`}>
                      {partner.name}
                    </Link>
                  ),
                },
                { key: "kind", header: t("partners.kindLabel"), cell: (partner) => kindLabel(t, partner.kind) },
                {
                  key: "vendors",
                  header: t("partners.vendorNames"),
                  userContent: true,
                  cell: (partner) => (partner.vendor_names ?? []).join(", ") || "—",
                },
                { key: "contacts", header: t("partners.contacts"), cell: (partner) => String(partner.contacts?.length ?? 0) },
              ]}
            />
          )
        }
      />
      <section aria-labelledby="partner-new" className="baken-section">
        <Heading2 id="partner-new">{t("partners.new")}</Heading2>
        <PartnerForm
          partner={null}
          onSaved={(saved) => {
            reload();
            navigate(`/partners/${saved.id}`);
          }}
        />
      </section>
    </>
  );
}

interface ContactDraft {
  name: string;
  role: PartnerContactRole;
  email: string;
  phone: string;
  language: "nl" | "en";
}

function contactDraft(contact?: PartnerContact): ContactDraft {
  return {
    name: contact?.name ?? "",
    role: contact?.role ?? "security",
    email: contact?.email ?? "",
    phone: contact?.phone ?? "",
    language: contact?.language ?? "nl",
  };
}

// A partner's fields and contacts; creates one (`partner` null) or changes it.
function PartnerForm({ partner, onSaved }: { partner: Partner | null; onSaved: (partner: Partner) => void }) {
  const { t } = useI18n();
  const prefix = partner ? "partner-edit" : "partner-new";
  const [name, setName] = useState(partner?.name ?? "");
  const [kind, setKind] = useState<PartnerKind>(partner?.kind ?? "supplier");
  const [description, setDescription] = useState(partner?.description ?? "");
  const [vendors, setVendors] = useState((partner?.vendor_names ?? []).join(", "));
  const [contacts, setContacts] = useState<ContactDraft[]>((partner?.contacts ?? []).map(contactDraft));
  const [outcome, setOutcome] = useOutcome(prefix);
  const change = (index: number, patch: Partial<ContactDraft>) =>
    setContacts((current) => current.map((contact, i) => (i === index ? { ...contact, ...patch } : contact)));

  async function save(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (name.trim() === "") {
      setOutcome(refusedHere(t("partners.nameMissing")));
      return;
    }
    const body = {
      name: name.trim(),
      kind,
      description: description.trim(),
      vendor_names: vendors
        .split(",")
        .map((vendor) => vendor.trim())
        .filter((vendor) => vendor !== ""),
      contacts: contacts.map((contact) => ({
        name: contact.name.trim(),
        role: contact.role,
        language: contact.language,
        ...(contact.email.trim() ? { email: contact.email.trim() } : {}),
        ...(contact.phone.trim() ? { phone: contact.phone.trim() } : {}),
      })),
    };
    try {
      const saved = await api<Partner>(partner ? `/partners/${partner.id}` : "/partners", {
        method: partner ? "PUT" : "POST",
        body,
      });
      setOutcome(done(t(partner ? "partners.saved" : "partners.created", { name: saved.name })));
      onSaved(saved);
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form" noValidate onSubmit={(event) => void save(event)}>
        <FormFieldTextbox
          id={`${prefix}-name`}
          label={t("partners.name")}
          required
          maxLength={200}
          value={name}
          onChange={(event) => setName((event.target as HTMLInputElement).value)}
        />
        <FormFieldSelect
          id={`${prefix}-kind`}
          label={t("partners.kindLabel")}
          value={kind}
          options={kKinds.map((value) => ({ value, label: kindLabel(t, value) }))}
          onChange={setKind}
        />
        <FormFieldTextarea
          id={`${prefix}-description`}
          inputRef={markUserContent}
          label={t("partners.description")}
          rows={3}
          maxLength={5000}
          value={description}
          onChange={(event) => setDescription((event.target as HTMLTextAreaElement).value)}
        />
        <FormFieldTextbox
          id={`${prefix}-vendors`}
          label={t("partners.vendorNames")}
          description={t("partners.vendorNamesHint")}
          value={vendors}
          onChange={(event) => setVendors((event.target as HTMLInputElement).value)}
        />
        {contacts.map((contact, index) => (
          <Fieldset key={index}>
            <FieldsetLegend>{t("partners.contactNumber", { number: index + 1 })}</FieldsetLegend>
            <FormFieldTextbox
              id={`${prefix}-contact-${index}-name`}
              label={t("partners.contactName")}
              required
              value={contact.name}
              onChange={(event) => change(index, { name: (event.target as HTMLInputElement).value })}
            />
            <FormFieldSelect
              id={`${prefix}-contact-${index}-role`}
              label={t("partners.contactRole")}
              value={contact.role}
              options={kContactRoles.map((value) => ({ value, label: t(`partners.role.${value}` as MessageKey) }))}
              onChange={(role) => change(index, { role })}
            />
            <FormFieldTextbox
              id={`${prefix}-contact-${index}-email`}
              type="email"
              label={t("partners.contactEmail")}
              value={contact.email}
              onChange={(event) => change(index, { email: (event.target as HTMLInputElement).value })}
            />
            <FormFieldTextbox
              id={`${prefix}-contact-${index}-phone`}
              type="tel"
              label={t("partners.contactPhone")}
              description={t("partners.contactPhoneHint")}
              value={contact.phone}
              onChange={(event) => change(index, { phone: (event.target as HTMLInputElement).value })}
            />
            <FormFieldSelect
              id={`${prefix}-contact-${index}-language`}
              label={t("partners.contactLanguage")}
              value={contact.language}
              options={[
                { value: "nl", label: t("partners.language.nl") },
                { value: "en", label: t("partners.language.en") },
              ]}
              onChange={(language) => change(index, { language })}
            />
            <Button
              appearance="subtle-button"
              aria-label={t("partners.contactRemoveOne", { number: index + 1 })}
              onClick={() => setContacts((current) => current.filter((_, i) => i !== index))}
            >
              {t("partners.contactRemove")}
            </Button>
          </Fieldset>
        ))}
        <ButtonGroup>
          <Button appearance="secondary-action-button" onClick={() => setContacts((current) => [...current, contactDraft()])}>
            {t("partners.contactAdd")}
          </Button>
          <Button type="submit" appearance="primary-action-button">
            {partner ? t("partners.save") : t("partners.create")}
          </Button>
        </ButtonGroup>
      </form>
    </>
  );
}

// One partner: its fields, the members that use it and how we know, and "supplier hacked".
export function PartnerPage() {
  const { id = "" } = useParams();
  const { t } = useI18n();
  const [partner, reload] = useResource<Partner>(`/partners/${encodeURIComponent(id)}`);
  const [members] = useResource<{ members: PartnerMember[] }>(`/partners/${encodeURIComponent(id)}/members`);
  return (
    <Show
      resource={partner}
      render={(shown) => (
        <>
          <PageHeading title={shown.name}>
            <UserText>{shown.name}</UserText>
          </PageHeading>
          <Show resource={members} render={({ members: users }) => <PartnerMembers partner={shown} members={users} />} />
          <section aria-labelledby="partner-edit" className="baken-section">
            <Heading2 id="partner-edit">{t("partners.edit")}</Heading2>
            <PartnerForm key={shown.updated_at} partner={shown} onSaved={reload} />
          </section>
        </>
      )}
    />
  );
}

function PartnerMembers({ partner, members }: { partner: Partner; members: PartnerMember[] }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [confirm, confirmDialog] = useConfirm();
  const [title, setTitle] = useState("");
  const [notice, setNotice] = useState("");
  const [outcome, setOutcome] = useOutcome("partner-incident");
  async function hacked(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (title.trim() === "") {
      setOutcome(refusedHere(t("partners.hackedTitleMissing")));
      return;
    }
    const confirmed = await confirm({
      title: t("partners.hackedQuestion", { name: partner.name }),
      consequence:
        members.length === 1
          ? t("partners.hackedConsequenceOne")
          : t("partners.hackedConsequence", { count: members.length }),
      confirmLabel: t("partners.hackedConfirm"),
      danger: true,
    });
    if (!confirmed) return;
    try {
      const incident = await api<Incident>(`/partners/${partner.id}/incident`, {
        method: "POST",
        body: { title: title.trim(), ...(notice.trim() ? { notice: notice.trim() } : {}) },
      });
      navigate(`/incidents/${incident.id}`);
    } catch (error) {
      setOutcome(refused(error));
    }
  }
  return (
    <>
      {confirmDialog}
      <section aria-labelledby="partner-members" className="baken-section">
        <Heading2 id="partner-members">{t("partners.members")}</Heading2>
        {members.length === 0 ? (
          <Empty>{t("partners.membersNone")}</Empty>
        ) : (
          <DataTable
            caption={t("partners.members")}
            rows={members}
            rowKey={(member) => `${member.member}:${member.source}`}
            columns={[
              {
                key: "member",
                header: t("partners.member"),
                userContent: true,
                cell: (member) => (
                  <Link className="utrecht-link" to={`/members/${encodeURIComponent(member.member)}`}>
                    {member.member_name} ({member.member})
                  </Link>
                ),
              },
              { key: "source", header: t("partners.how"), cell: (member) => t(`partners.source.${member.source}` as MessageKey) },
            ]}
          />
        )}
      </section>
      <section aria-labelledby="partner-hacked" className="baken-section">
        <Heading2 id="partner-hacked">{t("partners.hacked")}</Heading2>
        <Paragraph>{t("partners.hackedIntro")}</Paragraph>
        <OutcomeAlert outcome={outcome} />
        <form className="baken-form" noValidate onSubmit={(event) => void hacked(event)}>
          <FormFieldTextbox
            id="partner-hacked-title"
            label={t("partners.hackedTitle")}
            description={t("partners.hackedTitleHint")}
            required
            maxLength={200}
            value={title}
            onChange={(event) => setTitle((event.target as HTMLInputElement).value)}
          />
          <FormFieldTextarea
            id="partner-hacked-notice"
            label={t("partners.hackedNotice")}
            description={t("partners.hackedNoticeHint")}
            rows={4}
            maxLength={5000}
            inputRef={markUserContent}
            value={notice}
            onChange={(event) => setNotice((event.target as HTMLTextAreaElement).value)}
          />
          <Button type="submit" appearance="primary-action-button">
            {t("partners.hacked")}
          </Button>
        </form>
      </section>
    </>
  );
}

// Which suppliers the member uses, as its users (or an analyst) say: the directory's names with
// a check box each. What the other side said (the CERT, or the member) stays.
export function MemberPartners() {
  const { code = "" } = useParams();
  const { t } = useI18n();
  const [directory] = useResource<{ partners: Partner[] }>("/partners");
  const [used, reload] = useResource<{ partners: Partner[] }>(`/members/${encodeURIComponent(code)}/partners`);
  return (
    <>
      <PageHeading title={t("partners.oursTitle")} />
      <Paragraph>{t("partners.oursIntro")}</Paragraph>
      <Show
        resource={directory}
        render={({ partners }) => (
          <Show
            resource={used}
            render={(current) => (
              <MemberPartnersForm key={JSON.stringify(current.partners.map((p) => p.id))} code={code} directory={partners} used={current.partners} reload={reload} />
            )}
          />
        )}
      />
    </>
  );
}

function MemberPartnersForm({
  code,
  directory,
  used,
  reload,
}: {
  code: string;
  directory: Partner[];
  used: Partner[];
  reload: () => void;
}) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<number[]>(() => used.map((partner) => partner.id));
  const [outcome, setOutcome] = useOutcome("member-partners");
  async function save(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    try {
      await api(`/members/${encodeURIComponent(code)}/partners`, { method: "PUT", body: { partners: chosen } });
      setOutcome(done(t("partners.oursSaved")));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }
  if (directory.length === 0) return <Empty>{t("partners.none")}</Empty>;
  const source = (id: number) => used.find((partner) => partner.id === id)?.source;
  return (
    <>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form" noValidate onSubmit={(event) => void save(event)}>
        <Fieldset>
          <FieldsetLegend>{t("partners.oursLegend")}</FieldsetLegend>
          {directory.map((partner) => (
            <div className="baken-checkbox" key={partner.id}>
              <Checkbox
                id={`member-partner-${partner.id}`}
                checked={chosen.includes(partner.id)}
                onChange={(event) => {
                  const on = (event.target as HTMLInputElement).checked;
                  setChosen((current) => (on ? [...current, partner.id] : current.filter((id) => id !== partner.id)));
                }}
              />
              <FormLabel htmlFor={`member-partner-${partner.id}`} type="checkbox">
                <UserText>{partner.name}</UserText> ({t(`partners.kind.${partner.kind}` as MessageKey)})
                {source(partner.id) && ` — ${t(`partners.source.${source(partner.id)}` as MessageKey)}`}
              </FormLabel>
            </div>
          ))}
        </Fieldset>
        <Button type="submit" appearance="primary-action-button">
          {t("partners.oursSave")}
        </Button>
      </form>
    </>
  );
}
