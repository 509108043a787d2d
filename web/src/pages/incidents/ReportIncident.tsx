// A member's user reports an incident: the short form (title, description, TLP); the CERT
// classifies it and asks for details later. The description becomes the first entry of the
// member's own journal of the incident, readable under its TLP.
import { Button, FormFieldTextarea, FormFieldTextbox, Paragraph } from "@utrecht/component-library-react";
import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { useNavigate } from "react-router";
import { api } from "../../api";
import type { Incident, Tlp } from "../../api";
import { useI18n } from "../../i18n";
import { OutcomeAlert, refused } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { TlpField } from "./shared";

export function ReportIncident() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  // AMBER by default: a report is for the CERT and the member's own trusted contacts.
  const [tlp, setTlp] = useState<Tlp>("AMBER");
  const [titleError, setTitleError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleField = useRef<HTMLInputElement>(null);
  const [outcome, setOutcome] = useOutcome("incident-report");

  async function submit(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (title.trim() === "") {
      setTitleError(t("incidents.titleMissing"));
      titleField.current?.focus();
      return;
    }
    setTitleError(null);
    setBusy(true);
    try {
      const incident = await api<Incident>("/incidents", {
        method: "POST",
        body: { title: title.trim(), description: description.trim(), tlp },
      });
      navigate(`/incidents/${incident.id}`, { state: { reported: true } });
    } catch (error) {
      setOutcome(refused(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeading title={t("incidents.reportTitle")} />
      <Paragraph>{t("incidents.reportIntro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form" noValidate onSubmit={(event) => void submit(event)}>
        <FormFieldTextbox
          id="incident-title"
          label={t("incidents.fieldTitle")}
          description={t("incidents.reportTitleHint")}
          inputRef={titleField}
          required
          maxLength={200}
          invalid={Boolean(titleError)}
          errorMessage={titleError ?? undefined}
          value={title}
          onChange={(event) => setTitle((event.target as HTMLInputElement).value)}
        />
        <FormFieldTextarea
          id="incident-description"
          label={t("incidents.fieldDescription")}
          description={t("incidents.reportDescriptionHint")}
          maxLength={20000}
          rows={8}
          value={description}
          onChange={(event) => setDescription((event.target as HTMLTextAreaElement).value)}
        />
        <TlpField id="incident-tlp" value={tlp} onChange={setTlp} ownPart />
        <Button type="submit" appearance="primary-action-button" disabled={busy}>
          {t("incidents.reportSubmit")}
        </Button>
      </form>
    </>
  );
}
