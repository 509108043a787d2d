// The pages of a server-side list, under its DataTable (the `pager` prop): which rows are shown
// of how many ("1–50 van 13.585"), links to the first, previous, next and last page, and a
// choice of rows per page. The pages are links, not buttons: each page has its own address, so
// it can be opened in a new tab, bookmarked and reached with the back button; a page that does
// not exist (before the first, after the last) is plain text, out of the tab order.
//
// Props:
//   label     names the navigation for screen readers ("Pagina's van de lijst Bevindingen");
//             unique on the page
//   page      the page shown, counted from 1
//   size      rows per page
//   total     rows on all pages together (the server's true count)
//   hrefFor   the address of a page (useServerList gives it; keeps filters and sort)
//   onFollow  optional: called when a page link is followed (useServerList moves the focus to
//             the list once the page has come)
//   sizes     optional with onSize: the page sizes to choose from
//   onSize    optional: called with the chosen page size; without it there is no choice
//   busy      optional: a page is on its way; the links stay usable
import { useId } from "react";
import type { To } from "react-router";
import { Link } from "react-router";
import { useI18n } from "../i18n";
import { kPageSizes, pageCount, pageRows } from "../listState.js";
import { FormFieldSelect } from "./FormFieldSelect";

export interface PagerProps {
  label: string;
  page: number;
  size: number;
  total: number;
  hrefFor: (page: number) => To;
  onFollow?: () => void;
  sizes?: readonly number[];
  onSize?: (size: number) => void;
  busy?: boolean;
}

export function Pager({ label, page, size, total, hrefFor, onFollow, sizes = kPageSizes, onSize, busy }: PagerProps) {
  const { t, formatNumber } = useI18n();
  const sizeId = useId();
  const pages = pageCount(total, size);
  const { first, last } = pageRows(page, size, total);

  function step(target: number, arrow: string, text: string, name: string, rel?: string, after = false) {
    const content = after ? (
      <>
        {text} <span aria-hidden="true">{arrow}</span>
      </>
    ) : (
      <>
        <span aria-hidden="true">{arrow}</span> {text}
      </>
    );
    if (target < 1 || target > pages || target === page) {
      return (
        <span className="baken-pager__link baken-pager__link--disabled" aria-disabled="true">
          {content}
        </span>
      );
    }
    return (
      <Link className="baken-pager__link" to={hrefFor(target)} rel={rel} aria-label={name} onClick={onFollow}>
        {content}
      </Link>
    );
  }

  return (
    <nav className="baken-pager" aria-label={label} aria-busy={busy || undefined}>
      <p className="baken-pager__range" role="status">
        {t(first === last ? "pager.rangeOne" : "pager.range", {
          first: formatNumber(first),
          last: formatNumber(last),
          total: formatNumber(total),
        })}
      </p>
      {pages > 1 && (
        <ul className="baken-pager__steps">
          <li>{step(1, "«", t("pager.first"), t("pager.firstPage"))}</li>
          <li>{step(page - 1, "‹", t("pager.previous"), t("pager.previousPage"), "prev")}</li>
          <li className="baken-pager__current" aria-current="page">
            {t("pager.page", { page: formatNumber(page), pages: formatNumber(pages) })}
          </li>
          <li>{step(page + 1, "›", t("pager.next"), t("pager.nextPage"), "next", true)}</li>
          <li>{step(pages, "»", t("pager.last"), t("pager.lastPage"), undefined, true)}</li>
        </ul>
      )}
      {/* Only where another size would show more or fewer rows. */}
      {onSize && total > Math.min(...sizes) && (
        <div className="baken-pager__size">
          <FormFieldSelect
            id={`pager-size-${sizeId}`}
            label={t("pager.size")}
            value={String(size)}
            options={sizes.map((choice) => ({ value: String(choice), label: String(choice) }))}
            onChange={(value) => onSize(Number(value))}
          />
        </div>
      )}
    </nav>
  );
}
