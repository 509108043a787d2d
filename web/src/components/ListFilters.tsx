// The filters of a server-side list (useServerList) and the line that says how many rows match:
// what the outbox, members and advisories pages share. The form edits a draft and applies it
// on submit (a list is not fetched on every key stroke); the fields are the page's, given as a
// function of the draft. The form folds away on a phone unless a filter is on.
//
// Props of ListFilters:
//   list       the server list the filters apply to
//   label      names the search form for screen readers ("Berichten filteren")
//   fields     the fields, given the draft, a setter, and the refusal of the last submit
//   validate   optional: a sentence saying why the draft cannot be applied, or null (the
//              page shows it at the field it concerns)
import { Button, Heading2 } from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import type { FormEvent, ReactNode, RefObject } from "react";
import { useI18n } from "../i18n";
import type { ServerList } from "../serverList";

export type Draft = Record<string, string>;

export function ListFilters<Row>({
  list,
  label,
  fields,
  validate,
}: {
  list: ServerList<Row>;
  label: string;
  fields: (draft: Draft, set: (name: string, value: string) => void, refusal: string | null) => ReactNode;
  validate?: (draft: Draft) => string | null;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Draft>(list.filters);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [open, setOpen] = useState(() => list.filtered || window.matchMedia("(min-width: 48rem)").matches);
  // Back and forward through earlier filters show them in the form too.
  const applied = JSON.stringify(list.filters);
  useEffect(() => setDraft(JSON.parse(applied) as Draft), [applied]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const clean: Draft = {};
    for (const [name, value] of Object.entries(draft)) {
      if (value && value.trim() !== "") clean[name] = value.trim();
    }
    const refused = validate?.(clean) ?? null;
    setRefusal(refused);
    if (refused) return;
    list.setFilters(clean);
  }

  const active = Object.keys(list.filters).length;
  return (
    <details className="baken-filters" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className="baken-filters__summary">
        {active > 0 ? t("list.filtersActive", { count: active }) : t("list.filtersTitle")}
      </summary>
      <form className="baken-filters__form" role="search" aria-label={label} noValidate onSubmit={submit}>
        <div className="baken-filters__fields">
          {fields(draft, (name, value) => setDraft((current) => ({ ...current, [name]: value })), refusal)}
        </div>
        <div className="baken-filters__actions">
          <Button type="submit" appearance="primary-action-button">
            {t("list.apply")}
          </Button>
          {list.filtered && (
            <Button type="button" appearance="secondary-action-button" onClick={() => list.setFilters({})}>
              {t("list.clear")}
            </Button>
          )}
        </div>
      </form>
    </details>
  );
}

// How many rows match, as a heading the focus moves to after a page link, in a live region so
// that a new filter's total is read out where it is shown.
export function ListCount<Row>({ list, id, text }: { list: ServerList<Row>; id: string; text: string }) {
  return (
    <div aria-live="polite">
      <Heading2 id={id} tabIndex={-1} ref={list.resultsRef as RefObject<HTMLHeadingElement>}>
        {text}
      </Heading2>
    </div>
  );
}

// The period fields' rule: an end before the start is refused in words.
export function periodError(draft: Draft, since: string, until: string, message: string): string | null {
  return draft[since] && draft[until] && draft[until] < draft[since] ? message : null;
}
