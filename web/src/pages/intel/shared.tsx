// What the threat intelligence pages share (decision 0023): the words for kinds, distributions
// and who shared an event; the indicator rows of a form with the refusals at the row they
// concern; the members named as concerned; and reporting a sighting, with whether the member
// may be named.
import {
  Button,
  Checkbox,
  FieldsetLegend,
  Fieldset,
  FormFieldCheckbox,
  FormFieldErrorMessage,
  FormFieldTextbox,
  FormLabel,
  Paragraph,
} from "@utrecht/component-library-react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ReactNode } from "react";
import { api } from "../../api";
import type { Indicator, IntelEvent, MemberName } from "../../api";
import { useI18n } from "../../i18n";
import { emptyIndicatorRow, kIndicatorKinds } from "../../intel.js";
import type { IndicatorRow, PlacedProblem, RowProblem, SightingKind } from "../../intel.js";
import type { MessageKey } from "../../messages";
import { problemSentence } from "../../problems";
import { useResource } from "../../resource";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { done, refused } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { UserText } from "../../components/UserText";

// --- Words ---

export function useIntelWords() {
  const { t } = useI18n();
  return useMemo(
    () => ({
      kind: (kind: string) =>
        (kIndicatorKinds as readonly string[]).includes(kind) ? t(`intel.kind.${kind}` as MessageKey) : kind,
      distribution: (distribution: string) =>
        ["cert", "named", "members", "partners"].includes(distribution)
          ? t(`intel.distribution.${distribution}` as MessageKey)
          : distribution,
      source: (source: string) =>
        ["portal", "misp", "stix", "list"].includes(source) ? t(`intel.source.${source}` as MessageKey) : source,
      sighting: (kind: SightingKind) => t(`intel.sightingKind.${kind}`),
    }),
    [t],
  );
}

// The members' names for analysts (GET /members?fields=names); a member's user cannot list the
// others, and sees codes.
export function useMemberNames(staff: boolean) {
  const [members] = useResource<{ members: MemberName[] }>(staff ? "/members?fields=names" : null);
  return useMemo(() => {
    const list = members.status === "ready" ? [...members.data.members].sort((a, b) => a.name.localeCompare(b.name)) : [];
    const names = new Map(list.map((member) => [member.code, member.name]));
    return {
      list,
      nameOf: (code: string) => (names.has(code) ? `${names.get(code)} (${code})` : code),
    };
  }, [members]);
}

// Who shared an event: the CERT, a member (by name for analysts), or the organisation a
// partner's document names (its own words).
export function Creator({ event, nameOf }: { event: Pick<IntelEvent, "creator" | "source_kind">; nameOf: (code: string) => string }) {
  const { t } = useI18n();
  if (event.creator === "CERT" && event.source_kind === "portal") return <>{t("intel.creatorCert")}</>;
  if (event.creator === "") return <>{t("intel.noneValue")}</>;
  return <UserText>{event.source_kind === "portal" ? nameOf(event.creator) : event.creator}</UserText>;
}

// --- Refusals at the field they concern ---

// A problem's sentence with the field it names in words: "indicator 2, waarde: …".
export function useProblemText() {
  const { language } = useI18n();
  const words = useIntelWords();
  return useCallback(
    (problem: PlacedProblem, field: string, status = 400) => {
      const params: Record<string, string> = { ...(problem.params ?? {}), field };
      if (params.kind) params.kind = words.kind(params.kind);
      return problemSentence(language, problem.code, params, status);
    },
    [language, words],
  );
}

const kRowColumns: Record<string, MessageKey> = {
  value: "intel.value",
  kind: "intel.kind",
  tlp: "intel.tlp",
  for_detection: "intel.forDetection",
  valid_until: "intel.validUntil",
  comment: "intel.comment",
};

// --- Indicator rows of a form ---

export function IndicatorRows({
  id,
  rows,
  onChange,
  problems,
}: {
  id: string;
  rows: IndicatorRow[];
  onChange: (rows: IndicatorRow[]) => void;
  problems: Map<number, RowProblem[]>;
}) {
  const { t } = useI18n();
  const words = useIntelWords();
  const problemText = useProblemText();
  const set = (index: number, change: Partial<IndicatorRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const added = useRef<number | null>(null);
  useEffect(() => {
    if (added.current !== null) {
      // The library puts a field's id on its wrapper; the input is inside.
      document.querySelector<HTMLInputElement>(`#${id}-${added.current}-value input`)?.focus();
      added.current = null;
    }
  }, [rows.length, id]);
  return (
    <div className="baken-indicator-rows">
      {rows.map((row, index) => {
        const number = index + 1;
        const mine = problems.get(index) ?? [];
        const at = (column: string) => {
          const found = mine.filter((problem) => problem.column === column);
          if (found.length === 0) return undefined;
          const label = t(kRowColumns[column] ?? "intel.value");
          return found.map((problem) => problemText(problem, t("intel.rowField", { number, column: label }))).join(" ");
        };
        const rest = mine.filter((problem) => !["value", "kind", "valid_until", "comment"].includes(problem.column));
        return (
          <Fieldset key={index} className="baken-indicator-row" invalid={mine.length > 0}>
            <FieldsetLegend>{t("intel.indicatorLegend", { number })}</FieldsetLegend>
            {rest.map((problem, i) => (
              <FormFieldErrorMessage key={i}>
                {problemText(problem, t("intel.rowField", { number, column: t(kRowColumns[problem.column] ?? "intel.indicators") }))}
              </FormFieldErrorMessage>
            ))}
            <div className="baken-indicator-row__fields">
              <FormFieldTextbox
                id={`${id}-${index}-value`}
                className="baken-indicator-row__value"
                label={t("intel.value")}
                maxLength={4096}
                autoComplete="off"
                invalid={Boolean(at("value"))}
                errorMessage={at("value")}
                value={row.value}
                onChange={(event) => set(index, { value: (event.target as HTMLInputElement).value })}
              />
              <FormFieldSelect
                id={`${id}-${index}-kind`}
                label={t("intel.kind")}
                error={at("kind")}
                value={row.kind}
                options={[
                  { value: "" as IndicatorRow["kind"], label: t("intel.kindAuto") },
                  ...kIndicatorKinds.map((kind) => ({ value: kind as IndicatorRow["kind"], label: words.kind(kind) })),
                ]}
                onChange={(kind) => set(index, { kind })}
              />
              <FormFieldTextbox
                id={`${id}-${index}-until`}
                type="date"
                label={t("intel.validUntil")}
                description={t("intel.validUntilHint")}
                invalid={Boolean(at("valid_until"))}
                errorMessage={at("valid_until")}
                value={row.valid_until}
                onChange={(event) => set(index, { valid_until: (event.target as HTMLInputElement).value })}
              />
              <FormFieldTextbox
                id={`${id}-${index}-comment`}
                label={t("intel.comment")}
                maxLength={2000}
                invalid={Boolean(at("comment"))}
                errorMessage={at("comment")}
                value={row.comment}
                onChange={(event) => set(index, { comment: (event.target as HTMLInputElement).value })}
              />
            </div>
            <FormFieldCheckbox
              id={`${id}-${index}-detection`}
              label={t("intel.forDetection")}
              checked={row.for_detection}
              onChange={(event) => set(index, { for_detection: (event.target as HTMLInputElement).checked })}
            />
            {rows.length > 1 && (
              <Button
                appearance="subtle-button"
                onClick={() => {
                  onChange(rows.filter((_, i) => i !== index));
                  document.getElementById(`${id}-add`)?.focus();
                }}
              >
                {t("intel.removeRow", { number })}
              </Button>
            )}
          </Fieldset>
        );
      })}
      <div>
        <Button
          id={`${id}-add`}
          appearance="secondary-action-button"
          onClick={() => {
            added.current = rows.length;
            onChange([...rows, emptyIndicatorRow()]);
          }}
        >
          {t("intel.addRow")}
        </Button>
      </div>
    </div>
  );
}

// --- The members named as concerned ---

// Analysts choose members from the register; a member's user, who cannot list the others,
// types their codes.
export function NamedMembers({
  staff,
  members,
  named,
  onChange,
  error,
}: {
  staff: boolean;
  members: ReturnType<typeof useMemberNames>;
  named: string[];
  onChange: (named: string[]) => void;
  error?: string;
}) {
  const { t } = useI18n();
  const [choice, setChoice] = useState("");
  const [choiceError, setChoiceError] = useState<string | null>(null);
  const [typed, setTyped] = useState(named.join(", "));
  if (!staff) {
    return (
      <FormFieldTextbox
        id="intel-named"
        label={t("intel.named")}
        description={t("intel.namedHintMember")}
        autoComplete="off"
        invalid={Boolean(error)}
        errorMessage={error}
        value={typed}
        onChange={(event) => {
          const text = (event.target as HTMLInputElement).value;
          setTyped(text);
          onChange(
            text
              .split(/[\s,;]+/)
              .map((code) => code.trim().toUpperCase())
              .filter(Boolean),
          );
        }}
      />
    );
  }
  const available = members.list.filter((member) => !named.includes(member.code));
  return (
    <Fieldset invalid={Boolean(error)} className="baken-indicator-row">
      <FieldsetLegend>{t("intel.named")}</FieldsetLegend>
      {error && <FormFieldErrorMessage>{error}</FormFieldErrorMessage>}
      {named.length === 0 ? (
        <Paragraph>{t("intel.namedNone")}</Paragraph>
      ) : (
        <ul className="baken-named" data-testid="named-members">
          {named.map((code) => (
            <li key={code}>
              <UserText>{members.nameOf(code)}</UserText>
              <Button appearance="subtle-button" onClick={() => onChange(named.filter((other) => other !== code))}>
                {t("intel.namedRemove", { name: members.nameOf(code) })}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className="baken-toolbar">
        <FormFieldSelect
          id="intel-named-choice"
          label={t("intel.namedChoose")}
          error={choiceError ?? undefined}
          value={choice}
          options={[
            { value: "", label: t("intel.namedChooseNone") },
            ...available.map((member) => ({ value: member.code, label: `${member.name} (${member.code})` })),
          ]}
          onChange={setChoice}
        />
        <Button
          appearance="secondary-action-button"
          onClick={() => {
            if (!choice) {
              setChoiceError(t("intel.namedMissing"));
              return;
            }
            setChoiceError(null);
            onChange([...named, choice]);
            setChoice("");
          }}
        >
          {t("intel.namedAdd")}
        </Button>
      </div>
    </Fieldset>
  );
}

// --- Sightings ---

export interface SightingChoice {
  named: boolean;
  member: string; // analysts: on whose behalf, or "" for the CERT's own
}

// Whether the member may be named (off unless ticked) and, for analysts, for which member.
export function SightingOptions({
  staff,
  members,
  choice,
  onChange,
}: {
  staff: boolean;
  members: ReturnType<typeof useMemberNames>;
  choice: SightingChoice;
  onChange: (choice: SightingChoice) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="baken-form">
      {staff && (
        <FormFieldSelect
          id="sighting-member"
          label={t("intel.sightingMember")}
          description={t("intel.sightingMemberHint")}
          value={choice.member}
          options={[
            { value: "", label: t("intel.sightingMemberNone") },
            ...members.list.map((member) => ({ value: member.code, label: `${member.name} (${member.code})` })),
          ]}
          onChange={(member) => onChange({ ...choice, member })}
        />
      )}
      <div className="baken-checkbox">
        <Checkbox
          id="sighting-named"
          aria-describedby="sighting-named-hint"
          checked={choice.named}
          onChange={(event) => onChange({ ...choice, named: (event.target as HTMLInputElement).checked })}
        />
        <FormLabel htmlFor="sighting-named" type="checkbox">
          {t(staff ? "intel.sightingNamedStaff" : "intel.sightingNamed")}
        </FormLabel>
      </div>
      <Paragraph id="sighting-named-hint" className="baken-hint">
        {t("intel.sightingNamedHint")}
      </Paragraph>
    </div>
  );
}

// POST /intel/indicators/{id}/sightings: how many other members were warned.
async function reportSighting(indicator: number, kind: SightingKind, choice: SightingChoice, staff: boolean): Promise<number> {
  const reply = await api<{ id: number; warned: number }>(`/intel/indicators/${indicator}/sightings`, {
    method: "POST",
    body: { kind, named: choice.named, ...(staff && choice.member ? { member: choice.member } : {}) },
  });
  return reply.warned ?? 0;
}

// Reporting sightings from a page, one at a time (the buttons wait for the answer), saying how
// many members were warned; the page then reloads for the new counts. `owner` keys the outcome
// (useOutcome), so that it shows where the sighting was reported and nowhere else.
export function useSightingReport(owner: string, staff: boolean, reload: () => void) {
  const { t } = useI18n();
  const words = useIntelWords();
  const [choice, setChoice] = useState<SightingChoice>({ named: false, member: "" });
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useOutcome(owner);

  async function sight(indicator: Pick<Indicator, "id" | "value">, kind: SightingKind) {
    setOutcome(null);
    setBusy(true);
    try {
      const warned = await reportSighting(indicator.id, kind, choice, staff);
      const values = { kind: words.sighting(kind), value: indicator.value };
      setOutcome(done(warned === 1 ? t("intel.sightedOne", values) : t("intel.sighted", { ...values, count: warned })));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    } finally {
      setBusy(false);
    }
  }

  return {
    choice,
    setChoice,
    busy,
    outcome,
    send: (indicator: Pick<Indicator, "id" | "value">, kind: SightingKind) => void sight(indicator, kind),
  };
}

// The three buttons of one indicator, each naming the indicator for a screen reader.
export function SightingButtons({
  value,
  busy,
  onSighting,
}: {
  value: string;
  busy: boolean;
  onSighting: (kind: SightingKind) => void;
}) {
  const { t } = useI18n();
  const words = useIntelWords();
  return (
    <span className="baken-actions">
      {(["seen", "false_positive", "expired"] as const).map((kind) => (
        <Button
          key={kind}
          appearance={kind === "seen" ? "primary-action-button" : "secondary-action-button"}
          disabled={busy}
          aria-label={t("intel.sightingFor", { kind: words.sighting(kind), value })}
          onClick={() => onSighting(kind)}
        >
          {words.sighting(kind)}
        </Button>
      ))}
    </span>
  );
}

// Counts of sightings in one line.
export function SightingCounts({ seen, falsePositives, expired }: { seen: number; falsePositives: number; expired: number }) {
  const { t, formatNumber } = useI18n();
  return (
    <>
      {t("intel.counts", {
        seen: formatNumber(seen),
        falsePositives: formatNumber(falsePositives),
        expired: formatNumber(expired),
      })}
    </>
  );
}

// A value (address, domain, hash) as code that breaks anywhere on a phone.
export function Value({ children }: { children: ReactNode }) {
  return (
    <span className="baken-value" data-user-content="">
      {children}
    </span>
  );
}
