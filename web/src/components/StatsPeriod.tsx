// The period of a statistics page (incidents, researchers' reports): in the address, so that a
// period's figures can be linked. The reader means the end date inclusively; the API's end is
// exclusive, so the query asks up to the day after.
import { Button, FormFieldTextbox } from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { useSearchParams } from "react-router";
import { useI18n } from "../i18n";
import { dayAfter } from "../listState.js";

export interface StatsPeriod {
  from: string;
  to: string;
  // "from=…&to=…" for the API, or "" for all time.
  query: string;
}

export function useStatsPeriod(): StatsPeriod {
  const [search] = useSearchParams();
  const from = search.get("from") ?? "";
  const to = search.get("to") ?? "";
  const query = new URLSearchParams({ ...(from ? { from } : {}), ...(to ? { to: dayAfter(to) } : {}) }).toString();
  return { from, to, query };
}

export function StatsPeriodForm({ period }: { period: StatsPeriod }) {
  const { t } = useI18n();
  const [, setSearch] = useSearchParams();
  const { from, to } = period;
  const [draft, setDraft] = useState({ from, to });
  const [refusal, setRefusal] = useState<string | null>(null);
  useEffect(() => setDraft({ from, to }), [from, to]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (draft.from && draft.to && draft.to < draft.from) {
      setRefusal(t("list.periodInvalid"));
      return;
    }
    setRefusal(null);
    setSearch(new URLSearchParams({ ...(draft.from ? { from: draft.from } : {}), ...(draft.to ? { to: draft.to } : {}) }));
  }

  return (
    <form className="baken-form baken-form--inline" noValidate onSubmit={submit} aria-label={t("incidents.statsPeriod")}>
      <FormFieldTextbox
        id="stats-from"
        type="date"
        label={t("incidents.statsFrom")}
        value={draft.from}
        onChange={(event) => setDraft({ ...draft, from: (event.target as HTMLInputElement).value })}
      />
      <FormFieldTextbox
        id="stats-to"
        type="date"
        label={t("incidents.statsTo")}
        value={draft.to}
        invalid={Boolean(refusal)}
        errorMessage={refusal ?? undefined}
        onChange={(event) => setDraft({ ...draft, to: (event.target as HTMLInputElement).value })}
      />
      <Button type="submit" appearance="primary-action-button">
        {t("incidents.statsShow")}
      </Button>
    </form>
  );
}

// "van 1 januari 2026 tot en met 31 maart 2026", "vanaf …", "tot en met …" or "in totaal".
export function usePeriodText({ from, to }: StatsPeriod): string {
  const { t, formatDate } = useI18n();
  if (from && to) return t("incidents.statsPeriodBoth", { from: formatDate(from), to: formatDate(to) });
  if (from) return t("incidents.statsPeriodFrom", { from: formatDate(from) });
  if (to) return t("incidents.statsPeriodTo", { to: formatDate(to) });
  return t("incidents.statsPeriodAll");
}
