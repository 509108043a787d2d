// A member's user or an analyst shares an event with indicators (POST /intel/events). The form
// says in plain words who will receive it, from the TLP and the distribution as the server
// decides it (intel::MayReceive); the server's refusals are shown at the field and the
// indicator they concern.
import { Button, FormFieldTextarea, FormFieldTextbox, Heading2, Paragraph } from "@utrecht/component-library-react";
import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { useNavigate } from "react-router";
import { ApiError, api } from "../../api";
import type { IntelEvent, Tlp } from "../../api";
import { kTlpLevels } from "../../eventText";
import { useI18n } from "../../i18n";
import { emptyIndicatorRow, indicatorsBody, kDistributions, placeProblems, problemsOf, receivers } from "../../intel.js";
import type { Distribution, IndicatorRow, RowProblem } from "../../intel.js";
import type { MessageKey } from "../../messages";
import { isStaff, useSignedIn } from "../../session";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, refused, refusedHere } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { markUserContent } from "../incidents/shared";
import { IndicatorRows, NamedMembers, useMemberNames, useProblemText } from "./shared";

const kFieldLabels: Record<string, MessageKey> = {
  title: "intel.fieldTitle",
  description: "intel.fieldDescription",
  tlp: "intel.tlp",
  distribution: "intel.distribution",
  named: "intel.named",
  indicators: "intel.indicators",
};

export function NewIntelEvent() {
  const { t } = useI18n();
  const session = useSignedIn();
  const staff = isStaff(session);
  const navigate = useNavigate();
  const members = useMemberNames(staff);
  const problemText = useProblemText();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  // AMBER to the members named: what a member shares reaches no one it did not choose.
  const [tlp, setTlp] = useState<Tlp>("AMBER");
  const [distribution, setDistribution] = useState<Distribution>(staff ? "cert" : "named");
  const [named, setNamed] = useState<string[]>([]);
  const [rows, setRows] = useState<IndicatorRow[]>([emptyIndicatorRow()]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [rowProblems, setRowProblems] = useState<Map<number, RowProblem[]>>(new Map());
  const [busy, setBusy] = useState(false);
  const titleField = useRef<HTMLInputElement>(null);
  const [outcome, setOutcome] = useOutcome("intel-new");

  async function submit(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (title.trim() === "") {
      setFieldErrors({ title: t("intel.titleMissing") });
      setRowProblems(new Map());
      titleField.current?.focus();
      return;
    }
    setFieldErrors({});
    setRowProblems(new Map());
    const { indicators, rowOf } = indicatorsBody(rows);
    setBusy(true);
    try {
      const created = await api<IntelEvent>("/intel/events", {
        method: "POST",
        body: {
          title: title.trim(),
          description: description.trim(),
          tlp,
          distribution,
          named,
          indicators,
        },
      });
      navigate(`/intel/events/${created.id}`, {
        state: { shared: typeof created.indicators === "number" ? created.indicators : indicators.length },
      });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) {
        setOutcome(refused(error));
        return;
      }
      const placed = placeProblems(problemsOf(error), rowOf);
      const fields: Record<string, string> = {};
      for (const [field, problems] of placed.fields) {
        const label = kFieldLabels[field] ? t(kFieldLabels[field]) : field;
        fields[field] = problems.map((problem) => problemText(problem, label)).join(" ");
      }
      setFieldErrors(fields);
      setRowProblems(placed.rows);
      setOutcome(placed.other.length > 0 ? refused(error) : refusedHere(t("intel.fixFields")));
    } finally {
      setBusy(false);
    }
  }

  const who = receivers(tlp, distribution, named.length);
  return (
    <>
      <PageHeading title={t("intel.newTitle")} />
      <Paragraph>{t(staff ? "intel.newIntroStaff" : "intel.newIntro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form baken-form--wide" noValidate onSubmit={(event) => void submit(event)}>
        <FormFieldTextbox
          id="intel-title"
          label={t("intel.fieldTitle")}
          description={t("intel.fieldTitleHint")}
          inputRef={titleField}
          required
          maxLength={500}
          invalid={Boolean(fieldErrors.title)}
          errorMessage={fieldErrors.title}
          value={title}
          onChange={(event) => setTitle((event.target as HTMLInputElement).value)}
        />
        <FormFieldTextarea
          id="intel-description"
          label={t("intel.fieldDescription")}
          description={t("intel.fieldDescriptionHint")}
          maxLength={20000}
          rows={5}
          inputRef={markUserContent}
          invalid={Boolean(fieldErrors.description)}
          errorMessage={fieldErrors.description}
          value={description}
          onChange={(event) => setDescription((event.target as HTMLTextAreaElement).value)}
        />
        <FormFieldSelect
          id="intel-tlp"
          label={t("intel.tlp")}
          description={t("intel.tlpHint")}
          error={fieldErrors.tlp}
          value={tlp}
          options={kTlpLevels.map((level) => ({ value: level as Tlp, label: `TLP:${level}` }))}
          onChange={setTlp}
        />
        <FormFieldSelect
          id="intel-distribution"
          label={t("intel.distribution")}
          description={
            <>
              {t("intel.distributionHint")}
              <br />
              {t(`intel.distributionExplain.${distribution}`)}
            </>
          }
          error={fieldErrors.distribution}
          value={distribution}
          options={kDistributions.map((choice) => ({ value: choice, label: t(`intel.distribution.${choice}`) }))}
          onChange={setDistribution}
        />
        <NamedMembers staff={staff} members={members} named={named} onChange={setNamed} error={fieldErrors.named} />
        <Paragraph role="status" data-testid="intel-receivers">
          <strong>{t(`intel.receivers.${who}`, { count: named.length })}</strong>
        </Paragraph>
        <Heading2 id="intel-indicators">{t("intel.indicators")}</Heading2>
        <Paragraph>{t("intel.indicatorsHint")}</Paragraph>
        {fieldErrors.indicators && <Paragraph className="utrecht-form-field-error-message">{fieldErrors.indicators}</Paragraph>}
        <IndicatorRows id="intel-indicator" rows={rows} onChange={setRows} problems={rowProblems} />
        <Button type="submit" appearance="primary-action-button" disabled={busy}>
          {t("intel.submitEvent")}
        </Button>
      </form>
    </>
  );
}
