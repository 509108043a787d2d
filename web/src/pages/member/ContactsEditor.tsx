import {
  Button,
  ButtonGroup,
  Checkbox,
  Fieldset,
  FieldsetLegend,
  FormFieldErrorMessage,
  FormFieldTextbox,
  FormLabel,
  Heading2,
  Heading3,
} from "@utrecht/component-library-react";
import { useRef, useState } from "react";
import type { FormEvent } from "react";
import type { Contact } from "../../api";
import { useI18n } from "../../i18n";
import { DataTable } from "../../components/Table";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { SaveOrCancel } from "../../components/SaveOrCancel";
import { Empty } from "../../components/States";
import { saveList } from "./save";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import type { UndoOffer } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { useConfirm } from "../../components/Confirm";

const kRoles = ["general", "trusted", "privacy", "ciso", "oncall"] as const;
type RoleName = (typeof kRoles)[number];

interface Draft {
  index: number | null; // the contact being edited, or null for a new one
  name: string;
  email: string;
  roles: string[];
  language: "nl" | "en";
  phone: string;
}

type DraftErrors = Partial<Record<"name" | "email" | "roles" | "phone", string>>;

function emptyDraft(): Draft {
  return { index: null, name: "", email: "", roles: ["general"], language: "nl", phone: "" };
}

// What the server takes as a phone number (registry::NormalizePhone decides; it also writes the
// number as +31…): digits with spaces, dashes, dots, slashes or brackets, perhaps a leading +.
function looksLikePhone(text: string): boolean {
  const digits = text.replace(/[\s\-./()]/g, "");
  return /^(\+|00)?\d{8,15}$/.test(digits) && text.length <= 40;
}

export function ContactsEditor({
  code,
  contacts,
  onSaved,
}: {
  code: string;
  contacts: Contact[];
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [outcome, setOutcome] = useOutcome("contacts");
  const [confirm, confirmDialog] = useConfirm();
  const latest = useRef(contacts);
  latest.current = contacts;

  async function save(next: Contact[], message: string, undo?: UndoOffer) {
    setOutcome(null);
    try {
      await saveList(code, "contacts", next);
      setDraft(null);
      setOutcome(done(message, undo));
      onSaved();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!draft) return;
    const found: DraftErrors = {};
    if (draft.name.trim() === "") found.name = t("contacts.nameMissing");
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(draft.email.trim())) found.email = t("contacts.emailInvalid");
    if (draft.roles.length === 0) found.roles = t("contacts.rolesMissing");
    if (draft.phone.trim() !== "" && !looksLikePhone(draft.phone.trim())) found.phone = t("contacts.phoneInvalid");
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const previous: Partial<Contact> = draft.index !== null ? { ...contacts[draft.index] } : {};
    // Warnings are TLP:AMBER: a contact without the trusted role cannot keep taking them.
    if (!draft.roles.includes("trusted")) delete previous.warnings;
    const contact: Contact = {
      ...previous,
      name: draft.name.trim(),
      email: draft.email.trim(),
      roles: draft.roles,
      language: draft.language,
    };
    if (draft.phone.trim() === "") delete contact.phone;
    else contact.phone = draft.phone.trim();
    const next = [...contacts];
    if (draft.index === null) next.push(contact);
    else next[draft.index] = contact;
    void save(next, t("contacts.saved"));
  }

  async function remove(contact: Contact, index: number) {
    const lastTrusted =
      contact.roles.includes("trusted") &&
      !contacts.some((other, i) => i !== index && other.roles.includes("trusted"));
    const confirmed = await confirm({
      title: t("contacts.removeQuestion", { name: contact.name }),
      consequence: lastTrusted
        ? `${t("contacts.removeConsequence", { name: contact.name })} ${t("contacts.removeLastTrusted")}`
        : t("contacts.removeConsequence", { name: contact.name }),
      confirmLabel: t("form.remove"),
      danger: true,
    });
    if (!confirmed) return;
    // A contact has no state of its own: undo puts it back exactly, at its place in the list
    // as the list is then (edits made in between stay).
    const undo: UndoOffer = {
      run: () => {
        const next = latest.current.filter((other) => other.email !== contact.email);
        next.splice(Math.min(index, next.length), 0, contact);
        return save(next, t("contacts.restored", { name: contact.name }));
      },
    };
    await save(
      contacts.filter((_, i) => i !== index),
      t("contacts.removed", { name: contact.name }),
      undo,
    );
  }

  function toggleRole(role: RoleName, on: boolean) {
    if (!draft) return;
    const roles = on ? [...draft.roles, role] : draft.roles.filter((r) => r !== role);
    setDraft({ ...draft, roles: kRoles.filter((r) => roles.includes(r)) });
  }

  return (
    <section aria-labelledby="contacts-title" className="baken-section">
      {confirmDialog}
      <Heading2 id="contacts-title">{t("contacts.title")}</Heading2>
      <OutcomeAlert outcome={outcome} />
      {contacts.length === 0 ? (
        <Empty>{t("contacts.none")}</Empty>
      ) : (
        <DataTable
          caption={t("contacts.title")}
          rows={contacts}
          rowKey={(contact) => contact.email}
          columns={[
            { key: "name", header: t("contacts.name"), cell: (contact) => contact.name },
            { key: "email", header: t("contacts.email"), cell: (contact) => contact.email },
            { key: "phone", header: t("contacts.phone"), cell: (contact) => contact.phone ?? "–" },
            {
              key: "roles",
              header: t("contacts.roles"),
              cell: (contact) => contact.roles.map((role) => t(`role.${role as RoleName}`)).join(", "),
            },
            {
              key: "language",
              header: t("contacts.language"),
              cell: (contact) => (contact.language === "en" ? "English" : "Nederlands"),
            },
            {
              key: "actions",
              header: t("form.actions"),
              actions: true,
              cell: (contact, index) => (
                <ButtonGroup>
                  <Button
                    appearance="secondary-action-button"
                    aria-label={t("contacts.editOne", { name: contact.name })}
                    onClick={() => {
                      setErrors({});
                      setDraft({
                        index,
                        name: contact.name,
                        email: contact.email,
                        roles: contact.roles,
                        language: contact.language ?? "nl",
                        phone: contact.phone ?? "",
                      });
                    }}
                  >
                    {t("form.edit")}
                  </Button>
                  <Button
                    appearance="subtle-button"
                    hint="danger"
                    aria-label={t("contacts.removeOne", { name: contact.name })}
                    onClick={() => void remove(contact, index)}
                  >
                    {t("form.remove")}
                  </Button>
                </ButtonGroup>
              ),
            },
          ]}
        />
      )}
      {draft ? (
        <form onSubmit={submit} noValidate className="baken-form" aria-labelledby="contact-form-title">
          <Heading3 id="contact-form-title">
            {draft.index === null ? t("contacts.add") : t("contacts.edit")}
          </Heading3>
          <FormFieldTextbox
            id="contact-name"
            label={t("contacts.name")}
            value={draft.name}
            invalid={Boolean(errors.name)}
            errorMessage={errors.name}
            onChange={(event) => setDraft({ ...draft, name: (event.target as HTMLInputElement).value })}
          />
          <FormFieldTextbox
            id="contact-email"
            label={t("contacts.email")}
            type="email"
            value={draft.email}
            invalid={Boolean(errors.email)}
            errorMessage={errors.email}
            onChange={(event) => setDraft({ ...draft, email: (event.target as HTMLInputElement).value })}
          />
          <FormFieldTextbox
            id="contact-phone"
            label={t("contacts.phone")}
            description={t("contacts.phoneHint")}
            type="tel"
            autoComplete="tel"
            value={draft.phone}
            invalid={Boolean(errors.phone)}
            errorMessage={errors.phone}
            onChange={(event) => setDraft({ ...draft, phone: (event.target as HTMLInputElement).value })}
          />
          <Fieldset invalid={Boolean(errors.roles)} aria-describedby={errors.roles ? "contact-roles-error" : undefined}>
            <FieldsetLegend>{t("contacts.roles")}</FieldsetLegend>
            {errors.roles && (
              <FormFieldErrorMessage id="contact-roles-error">{errors.roles}</FormFieldErrorMessage>
            )}
            {kRoles.map((role) => (
              <div className="baken-checkbox" key={role}>
                <Checkbox
                  id={`contact-role-${role}`}
                  checked={draft.roles.includes(role)}
                  onChange={(event) => toggleRole(role, (event.target as HTMLInputElement).checked)}
                />
                <FormLabel htmlFor={`contact-role-${role}`} type="checkbox">
                  {t(`role.${role}`)}
                </FormLabel>
              </div>
            ))}
          </Fieldset>
          <FormFieldSelect
            id="contact-language"
            label={t("contacts.language")}
            value={draft.language}
            options={[
              { value: "nl", label: "Nederlands" },
              { value: "en", label: "English" },
            ]}
            onChange={(language) => setDraft({ ...draft, language })}
          />
          <SaveOrCancel onCancel={() => setDraft(null)} />
        </form>
      ) : (
        <Button
          appearance="secondary-action-button"
          onClick={() => {
            setErrors({});
            setDraft(emptyDraft());
          }}
        >
          {t("contacts.add")}
        </Button>
      )}
    </section>
  );
}
