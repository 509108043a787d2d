// Escalation, on a finding's or a warning's page, for analysts: the incidents it is in already
// (so that a second finding of the same outbreak joins the first incident instead of opening a
// new one), opening a new incident from it, or (a finding) adding it to an existing incident.
// The server makes the member it belongs to take part and links the incident back to it.
import { Button, FormFieldTextbox, Heading2, Paragraph, UnorderedList, UnorderedListItem } from "@utrecht/component-library-react";
import { useState } from "react";
import type { FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { api } from "../../api";
import type { Incident, IncidentRow } from "../../api";
import { useI18n } from "../../i18n";
import { incidentLabel } from "../../labels";
import { useResource } from "../../resource";
import { OutcomeAlert, done, refused, refusedHere } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { Empty, Show } from "../../components/States";
import { UserText } from "../../components/UserText";

interface EscalateProps {
  kind: "event" | "warning";
  id: number;
  // The title the new incident starts with (the page's heading); the analyst may change it.
  title: string;
  // A finding no member owns brings no one: it can only be linked.
  routed: boolean;
}

export function EscalateSection({ kind, id, title, routed }: EscalateProps) {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const [linked, reload] = useResource<{ incidents: IncidentRow[] }>(`/incidents?linked=${kind}:${id}&sort=-created`);
  const [newTitle, setNewTitle] = useState(title);
  const [titleError, setTitleError] = useState<string | null>(null);
  const [number, setNumber] = useState("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useOutcome(`escalate-${kind}`);

  async function open(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (newTitle.trim() === "") {
      setTitleError(t("incidents.titleMissing"));
      return;
    }
    setTitleError(null);
    setBusy(true);
    try {
      const incident = await api<Incident>("/incidents", {
        method: "POST",
        body: { title: newTitle.trim(), [kind === "event" ? "events" : "warnings"]: [id] },
      });
      navigate(`/incidents/${incident.id}`);
    } catch (error) {
      setOutcome(refused(error));
    } finally {
      setBusy(false);
    }
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    const incident = number.trim().replace(/^#/, "");
    if (!/^[1-9][0-9]*$/.test(incident)) {
      setOutcome(refusedHere(t("escalate.numberMissing")));
      return;
    }
    setBusy(true);
    try {
      if (routed) {
        await api(`/incidents/${incident}/participations`, { method: "POST", body: { events: [id] } });
      } else {
        await api(`/incidents/${incident}/links`, { method: "POST", body: { kind: "event", target: String(id) } });
      }
      setOutcome(done(t("escalate.added", { id: incident })));
      setNumber("");
      reload();
    } catch (error) {
      setOutcome(refused(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={`escalate-${kind}-heading`} className="baken-section">
      <Heading2 id={`escalate-${kind}-heading`}>{t("escalate.heading")}</Heading2>
      <Paragraph>{t(kind === "event" ? (routed ? "escalate.introEvent" : "escalate.introUnrouted") : "escalate.introWarning")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      <Show
        resource={linked}
        render={({ incidents }) =>
          incidents.length === 0 ? (
            <Empty>{t("escalate.none")}</Empty>
          ) : (
            <>
              <Paragraph>{t("escalate.linked")}</Paragraph>
              <UnorderedList>
                {incidents.map((incident) => (
                  <UnorderedListItem key={incident.id}>
                    <Link className="utrecht-link" to={`/incidents/${incident.id}`}>
                      <UserText>{`#${incident.id} ${incident.title}`}</UserText>
                    </Link>
                    {` (${incidentLabel(language, "state", incident.state)})`}
                  </UnorderedListItem>
                ))}
              </UnorderedList>
            </>
          )
        }
      />
      <form className="baken-form" noValidate onSubmit={(event) => void open(event)} aria-label={t("escalate.create")}>
        <FormFieldTextbox
          id={`escalate-${kind}-title`}
          label={t("escalate.newTitle")}
          required
          maxLength={200}
          invalid={Boolean(titleError)}
          errorMessage={titleError ?? undefined}
          value={newTitle}
          onChange={(event) => setNewTitle((event.target as HTMLInputElement).value)}
        />
        <Button type="submit" appearance="primary-action-button" disabled={busy}>
          {t("escalate.create")}
        </Button>
      </form>
      {kind === "event" && (
        <form className="baken-form baken-form--inline" noValidate onSubmit={(event) => void add(event)} aria-label={t("escalate.add")}>
          <FormFieldTextbox
            id="escalate-event-incident"
            label={t("escalate.number")}
            description={t(routed ? "escalate.numberHint" : "escalate.numberHintUnrouted")}
            inputMode="numeric"
            value={number}
            onChange={(event) => setNumber((event.target as HTMLInputElement).value)}
          />
          <Button type="submit" appearance="secondary-action-button" disabled={busy}>
            {t("escalate.add")}
          </Button>
        </form>
      )}
    </section>
  );
}
