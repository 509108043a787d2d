// How the signed-in analyst is paged (decision 0019): their webhooks to an SMS or voice gateway
// (added with a label and an address; usable once the code the gateway received is typed back;
// the secret shown once, for the gateway to check Baken's signature), and their rules: per
// channel whether it is used and how many minutes after a step came due ("SMS at once, e-mail
// after 5 minutes"). Without rules the account's e-mail goes at once.
import { Alert, Button, Fieldset, FieldsetLegend, FormFieldCheckbox, FormFieldTextbox, Heading2, Heading3, Paragraph, StatusBadge } from "@utrecht/component-library-react";
import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "../../api";
import type { ContactMethod, ContactSettings } from "../../api";
import { useI18n } from "../../i18n";
import { useResource } from "../../resource";
import { OutcomeAlert, done, refused, refusedHere } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { Empty, Show } from "../../components/States";
import { DataTable } from "../../components/Table";
import { UserText } from "../../components/UserText";

export function ContactMethods() {
  const { t } = useI18n();
  const [settings, reload] = useResource<ContactSettings>("/contact-methods");
  return (
    <>
      <PageHeading title={t("contact.title")} />
      <Paragraph>{t("contact.intro")}</Paragraph>
      <Show
        resource={settings}
        render={(data) => (
          <>
            <MethodList settings={data} reload={reload} />
            {/* Made anew when a method becomes usable or the rules change, so that it lists them. */}
            <RuleForm key={JSON.stringify([data.rules, data.methods.map((method) => [method.id, method.verified_at, method.disabled_at])])} settings={data} reload={reload} />
            <AddMethod reload={reload} />
          </>
        )}
      />
    </>
  );
}

function MethodState({ method }: { method: ContactMethod }) {
  const { t } = useI18n();
  if (method.disabled_at) return <StatusBadge status="neutral">{t("contact.disabled")}</StatusBadge>;
  if (method.verified_at) return <StatusBadge status="success">{t("contact.verified")}</StatusBadge>;
  return <StatusBadge status="warning">{t("contact.unverified")}</StatusBadge>;
}

function MethodList({ settings, reload }: { settings: ContactSettings; reload: () => void }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useOutcome("contact-methods");
  async function act(method: ContactMethod, action: "code" | "disable") {
    setOutcome(null);
    try {
      const answer = await api<ContactMethod>(`/contact-methods/${method.id}/${action}`, { method: "POST", body: {} });
      if (action === "disable") setOutcome(done(t("contact.disabledDone", { label: method.label })));
      else if (answer.code_sent) setOutcome(done(t("contact.codeSent", { label: method.label })));
      else setOutcome(refusedHere(t("contact.codeNotSent", { detail: answer.detail ?? "" })));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }
  const waiting = settings.methods.filter((method) => !method.verified_at && !method.disabled_at);
  return (
    <section aria-labelledby="contact-methods" className="baken-section">
      <Heading2 id="contact-methods">{t("contact.methods")}</Heading2>
      <Paragraph>{t("contact.email", { email: settings.email })}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      {settings.methods.length === 0 ? (
        <Empty>{t("contact.none")}</Empty>
      ) : (
        <DataTable
          caption={t("contact.methods")}
          rows={settings.methods}
          rowKey={(method) => method.id}
          columns={[
            { key: "label", header: t("contact.label"), userContent: true, cell: (method) => method.label },
            { key: "url", header: t("contact.url"), userContent: true, cell: (method) => method.url },
            { key: "state", header: t("contact.state"), cell: (method) => <MethodState method={method} /> },
            {
              key: "actions",
              header: t("contact.actions"),
              cell: (method) =>
                method.disabled_at ? (
                  "–"
                ) : (
                  <span className="baken-actions">
                    {!method.verified_at && (
                      <Button appearance="secondary-action-button" onClick={() => void act(method, "code")} aria-label={t("contact.newCodeNamed", { label: method.label })}>
                        {t("contact.newCode")}
                      </Button>
                    )}
                    <Button appearance="secondary-action-button" onClick={() => void act(method, "disable")} aria-label={t("contact.disableNamed", { label: method.label })}>
                      {t("contact.disable")}
                    </Button>
                  </span>
                ),
            },
          ]}
        />
      )}
      {waiting.map((method) => (
        <VerifyForm key={method.id} method={method} reload={reload} />
      ))}
    </section>
  );
}

function VerifyForm({ method, reload }: { method: ContactMethod; reload: () => void }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useOutcome(`contact-verify-${method.id}`);
  const [code, setCode] = useState("");
  const headingId = `contact-verify-${method.id}`;
  async function verify(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    try {
      await api(`/contact-methods/${method.id}/verify`, { method: "POST", body: { code: code.trim() } });
      setOutcome(done(t("contact.verifiedDone", { label: method.label })));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }
  return (
    <div>
      <Heading3 id={headingId}>{t("contact.verifyTitle", { label: method.label })}</Heading3>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form" noValidate onSubmit={(event) => void verify(event)} aria-labelledby={headingId}>
        <FormFieldTextbox
          id={`contact-code-${method.id}`}
          label={t("contact.code")}
          description={t("contact.codeHint")}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={20}
          value={code}
          onChange={(event) => setCode((event.target as HTMLInputElement).value)}
        />
        <Button type="submit" appearance="primary-action-button">
          {t("contact.verify")}
        </Button>
      </form>
    </div>
  );
}

interface RuleDraft {
  channel: string;
  name: string;
  used: boolean;
  delay: string;
}

function RuleForm({ settings, reload }: { settings: ContactSettings; reload: () => void }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useOutcome("contact-rules");
  const channels = [
    { channel: "email", name: t("contact.channelEmail") },
    ...settings.methods.filter((method) => method.verified_at && !method.disabled_at).map((method) => ({ channel: method.channel, name: method.label })),
  ];
  const [drafts, setDrafts] = useState<RuleDraft[]>(
    channels.map(({ channel, name }) => {
      const rule = settings.rules.find((each) => each.channel === channel);
      return { channel, name, used: rule !== undefined, delay: String(rule?.delay_minutes ?? 0) };
    }),
  );
  const change = (index: number, part: Partial<RuleDraft>) => setDrafts(drafts.map((draft, at) => (at === index ? { ...draft, ...part } : draft)));
  async function save(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    try {
      await api("/notification-rules", {
        method: "PUT",
        body: { rules: drafts.filter((draft) => draft.used).map((draft) => ({ channel: draft.channel, delay_minutes: Number(draft.delay) })) },
      });
      setOutcome(done(t("contact.rulesSaved")));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }
  return (
    <section aria-labelledby="contact-rules" className="baken-section">
      <Heading2 id="contact-rules">{t("contact.rules")}</Heading2>
      <Paragraph>{t("contact.rulesIntro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form" noValidate onSubmit={(event) => void save(event)} aria-labelledby="contact-rules">
        {drafts.map((draft, index) => (
          <Fieldset key={draft.channel}>
            <FieldsetLegend>
              <UserText>{draft.name}</UserText>
            </FieldsetLegend>
            <FormFieldCheckbox id={`rule-${index}-used`} label={t("contact.use")} checked={draft.used} onChange={(event) => change(index, { used: (event.target as HTMLInputElement).checked })} />
            <FormFieldTextbox
              id={`rule-${index}-delay`}
              type="number"
              min={0}
              max={1440}
              label={t("contact.after")}
              description={t("contact.afterHint")}
              value={draft.delay}
              onChange={(event) => change(index, { delay: (event.target as HTMLInputElement).value })}
            />
          </Fieldset>
        ))}
        <Button type="submit" appearance="primary-action-button">
          {t("contact.rulesSave")}
        </Button>
      </form>
    </section>
  );
}

function AddMethod({ reload }: { reload: () => void }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useOutcome("contact-new");
  const [label, setLabel] = useState("");
  const [url, setUrl] = useState("");
  const [added, setAdded] = useState<ContactMethod | null>(null);
  async function add(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    setAdded(null);
    try {
      const method = await api<ContactMethod>("/contact-methods", { method: "POST", body: { label: label.trim(), url: url.trim() } });
      setAdded(method);
      setLabel("");
      setUrl("");
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }
  return (
    <section aria-labelledby="contact-new" className="baken-section">
      <Heading2 id="contact-new">{t("contact.new")}</Heading2>
      <Paragraph>{t("contact.newIntro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      {added && (
        <Alert type={added.code_sent ? "ok" : "warning"}>
          <Paragraph>{added.code_sent ? t("contact.addedSent", { label: added.label }) : t("contact.addedNotSent", { label: added.label, detail: added.detail ?? "" })}</Paragraph>
          <Paragraph>{t("contact.secret")}</Paragraph>
          <pre className="baken-secret" tabIndex={0} data-user-content="">
            {added.secret}
          </pre>
        </Alert>
      )}
      <form className="baken-form" noValidate onSubmit={(event) => void add(event)} aria-labelledby="contact-new">
        <FormFieldTextbox id="contact-label" label={t("contact.label")} required maxLength={100} value={label} onChange={(event) => setLabel((event.target as HTMLInputElement).value)} />
        <FormFieldTextbox id="contact-url" type="url" label={t("contact.url")} description={t("contact.urlHint")} required maxLength={2000} value={url} onChange={(event) => setUrl((event.target as HTMLInputElement).value)} />
        <Button type="submit" appearance="secondary-action-button">
          {t("contact.add")}
        </Button>
      </form>
    </section>
  );
}
