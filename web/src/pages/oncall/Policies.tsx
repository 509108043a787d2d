// Escalation policies (decision 0019): each policy's steps in words ("at once: whoever is on
// duty in IBD-piket; after 10 minutes: teamlead@…"), which one Baken's own pages go to, and a
// form for a new or changed policy with up to five steps of one target each (the API takes
// more; a policy that needs them is made there).
import { Button, Fieldset, FieldsetLegend, FormFieldCheckbox, FormFieldTextbox, Heading2, Paragraph, StatusBadge } from "@utrecht/component-library-react";
import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "../../api";
import type { EscalationPolicy, PolicyStep, PolicyTarget, Rotation } from "../../api";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../messages";
import { useResource } from "../../resource";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { Empty, Show } from "../../components/States";
import { DataTable } from "../../components/Table";

const kMaxSteps = 5;
type Kind = PolicyTarget["kind"];

interface StepDraft {
  delay: string;
  kind: Kind;
  rotation: string;
  person: string;
}

export function Policies() {
  const { t } = useI18n();
  const [policies, reload] = useResource<{ policies: EscalationPolicy[] }>("/escalation-policies");
  const [rotations] = useResource<{ rotations: Rotation[] }>("/rosters");
  return (
    <>
      <PageHeading title={t("policies.title")} />
      <Paragraph>{t("policies.intro")}</Paragraph>
      <Show
        resource={rotations}
        render={({ rotations: roster }) => (
          <Show resource={policies} render={({ policies: list }) => <PolicyList policies={list} rotations={roster} reload={reload} />} />
        )}
      />
    </>
  );
}

function PolicyList({ policies, rotations, reload }: { policies: EscalationPolicy[]; rotations: Rotation[]; reload: () => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<EscalationPolicy | null>(null);
  const rotationName = (id?: number) => rotations.find((rotation) => rotation.id === id)?.name ?? String(id ?? "");
  const targetText = (target: PolicyTarget) =>
    target.kind === "person"
      ? (target.person ?? "")
      : t(`policies.target.${target.kind}` as MessageKey, { rotation: rotationName(target.rotation) });
  const stepsText = (steps: PolicyStep[]) =>
    steps
      .map((step) =>
        t(step.delay_minutes === 0 ? "policies.stepNow" : "policies.stepAfter", {
          minutes: String(step.delay_minutes),
          targets: step.targets.map(targetText).join(", "),
        }),
      )
      .join("; ");
  return (
    <>
      <section aria-labelledby="policies-list" className="baken-section">
        <Heading2 id="policies-list">{t("policies.list")}</Heading2>
        {policies.length === 0 ? (
          <Empty>{t("policies.none")}</Empty>
        ) : (
          <DataTable
            caption={t("policies.list")}
            rows={policies}
            rowKey={(policy) => policy.id}
            columns={[
              {
                key: "name",
                header: t("policies.name"),
                userContent: true,
                cell: (policy) => (
                  <>
                    {policy.name}
                    {policy.default && (
                      <>
                        {" "}
                        <StatusBadge status="info">{t("policies.default")}</StatusBadge>
                      </>
                    )}
                  </>
                ),
              },
              { key: "steps", header: t("policies.steps"), userContent: true, cell: (policy) => stepsText(policy.steps) },
              { key: "repeat", header: t("policies.repeat"), cell: (policy) => String(policy.repeat) },
              {
                key: "timeout",
                header: t("policies.ackTimeout"),
                cell: (policy) => (policy.ack_timeout_minutes > 0 ? t("policies.minutes", { minutes: String(policy.ack_timeout_minutes) }) : t("policies.noTimeout")),
              },
              {
                key: "edit",
                header: t("policies.actions"),
                cell: (policy) => (
                  <Button appearance="secondary-action-button" onClick={() => setEditing(policy)} aria-label={t("policies.editNamed", { name: policy.name })}>
                    {t("policies.edit")}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </section>
      <PolicyForm
        key={editing ? `edit-${editing.id}-${editing.updated_at}` : "new"}
        policy={editing}
        rotations={rotations}
        finished={() => {
          setEditing(null);
          reload();
        }}
      />
    </>
  );
}

function draftOf(step: PolicyStep | undefined, rotations: Rotation[]): StepDraft {
  const target = step?.targets[0];
  return {
    delay: String(step?.delay_minutes ?? 0),
    kind: target?.kind ?? "on_duty",
    rotation: String(target?.rotation ?? rotations[0]?.id ?? ""),
    person: target?.person ?? "",
  };
}

function PolicyForm({ policy, rotations, finished }: { policy: EscalationPolicy | null; rotations: Rotation[]; finished: () => void }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useOutcome("policies-form");
  const [name, setName] = useState(policy?.name ?? "");
  const [steps, setSteps] = useState<StepDraft[]>(policy ? policy.steps.slice(0, kMaxSteps).map((step) => draftOf(step, rotations)) : [draftOf(undefined, rotations)]);
  const [repeat, setRepeat] = useState(String(policy?.repeat ?? 0));
  const [timeout, setTimeout_] = useState(String(policy?.ack_timeout_minutes ?? 30));
  const [isDefault, setDefault] = useState(policy?.default ?? false);
  const kinds: Kind[] = ["on_duty", "everyone", "person"];
  const change = (index: number, part: Partial<StepDraft>) => setSteps(steps.map((step, at) => (at === index ? { ...step, ...part } : step)));

  async function save(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    const body = {
      name: name.trim(),
      steps: steps.map((step) => ({
        delay_minutes: Number(step.delay),
        targets: [step.kind === "person" ? { kind: step.kind, person: step.person.trim() } : { kind: step.kind, rotation: Number(step.rotation) }],
      })),
      repeat: Number(repeat),
      ack_timeout_minutes: Number(timeout),
      default: isDefault,
    };
    try {
      await api(policy ? `/escalation-policies/${policy.id}` : "/escalation-policies", { method: policy ? "PUT" : "POST", body });
      setOutcome(done(t(policy ? "policies.saved" : "policies.added", { name: body.name })));
      finished();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <section aria-labelledby="policies-new" className="baken-section">
      <Heading2 id="policies-new">{policy ? t("policies.editTitle", { name: policy.name }) : t("policies.new")}</Heading2>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form" noValidate onSubmit={(event) => void save(event)} aria-labelledby="policies-new">
        <FormFieldTextbox id="policy-name" label={t("policies.name")} required maxLength={100} value={name} onChange={(event) => setName((event.target as HTMLInputElement).value)} />
        {steps.map((step, index) => (
          <Fieldset key={index}>
            <FieldsetLegend>{t("policies.stepNumber", { number: String(index + 1) })}</FieldsetLegend>
            <FormFieldTextbox
              id={`policy-step-${index}-delay`}
              type="number"
              min={0}
              max={1440}
              label={t("policies.delay")}
              description={index === 0 ? t("policies.delayFirstHint") : t("policies.delayHint")}
              value={step.delay}
              onChange={(event) => change(index, { delay: (event.target as HTMLInputElement).value })}
            />
            <FormFieldSelect
              id={`policy-step-${index}-kind`}
              label={t("policies.who")}
              value={step.kind}
              options={kinds.map((kind) => ({ value: kind, label: t(`policies.kind.${kind}` as MessageKey) }))}
              onChange={(kind) => change(index, { kind })}
            />
            {step.kind === "person" ? (
              <FormFieldTextbox
                id={`policy-step-${index}-person`}
                label={t("policies.person")}
                description={t("policies.personHint")}
                value={step.person}
                onChange={(event) => change(index, { person: (event.target as HTMLInputElement).value })}
              />
            ) : (
              <FormFieldSelect
                id={`policy-step-${index}-rotation`}
                label={t("policies.rotation")}
                value={step.rotation}
                options={rotations.map((rotation) => ({ value: String(rotation.id), label: rotation.name }))}
                onChange={(rotation) => change(index, { rotation })}
              />
            )}
            {steps.length > 1 && (
              <Button type="button" appearance="subtle-button" onClick={() => setSteps(steps.filter((_, at) => at !== index))}>
                {t("policies.removeStep", { number: String(index + 1) })}
              </Button>
            )}
          </Fieldset>
        ))}
        {steps.length < kMaxSteps && (
          <Button type="button" appearance="secondary-action-button" onClick={() => setSteps([...steps, { ...draftOf(undefined, rotations), delay: "10" }])}>
            {t("policies.addStep")}
          </Button>
        )}
        <FormFieldTextbox id="policy-repeat" type="number" min={0} max={10} label={t("policies.repeat")} description={t("policies.repeatHint")} value={repeat} onChange={(event) => setRepeat((event.target as HTMLInputElement).value)} />
        <FormFieldTextbox
          id="policy-timeout"
          type="number"
          min={0}
          max={1440}
          label={t("policies.ackTimeout")}
          description={t("policies.ackTimeoutHint")}
          value={timeout}
          onChange={(event) => setTimeout_((event.target as HTMLInputElement).value)}
        />
        <FormFieldCheckbox id="policy-default" label={t("policies.makeDefault")} description={t("policies.makeDefaultHint")} checked={isDefault} onChange={(event) => setDefault((event.target as HTMLInputElement).checked)} />
        <Button type="submit" appearance="primary-action-button">
          {policy ? t("policies.save") : t("policies.add")}
        </Button>
        {policy && (
          <Button type="button" appearance="subtle-button" onClick={finished}>
            {t("policies.editCancel")}
          </Button>
        )}
      </form>
    </section>
  );
}
