// What a server-side list shows (page, page size, sort, filters), read from and written to the
// address's query string, so that a page of a list can be linked, reloaded and reached with the
// back button. Plain JavaScript with its types in listState.d.ts, so that node's test runner
// loads it as it is (web/test/listState.test.mjs).

export const kPageSizes = [25, 50, 100];

/**
 * The list's state in `search` (URLSearchParams). Whatever is missing or not understood falls
 * back to the default, so a hand-edited or outdated link still shows a list.
 * options: { filters: string[], sortKeys: string[], defaultSort: {key, direction},
 *            sizes?: number[], defaultSize?: number }
 */
export function readListState(search, options) {
  const sizes = options.sizes ?? kPageSizes;
  const defaultSize = options.defaultSize ?? 50;
  const size = Number(search.get("size"));
  const page = Number(search.get("page"));
  const filters = {};
  for (const name of options.filters) {
    const value = (search.get(name) ?? "").trim();
    if (value !== "") filters[name] = value;
  }
  return {
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    size: sizes.includes(size) ? size : defaultSize,
    sort: readSort(search.get("sort"), options),
    filters,
  };
}

// "received" is ascending, "-received" descending.
function readSort(text, options) {
  if (!text) return options.defaultSort;
  const descending = text.startsWith("-");
  const key = descending ? text.slice(1) : text;
  if (!options.sortKeys.includes(key)) return options.defaultSort;
  return { key, direction: descending ? "descending" : "ascending" };
}

/**
 * The query string for `state`, leaving out what is the default, so that the plain list has a
 * plain address. Filters keep the order of `options.filters`.
 */
export function listSearch(state, options) {
  const search = new URLSearchParams();
  for (const name of options.filters) {
    const value = state.filters[name];
    if (value !== undefined && value !== "") search.set(name, value);
  }
  const sort = state.sort;
  const defaultSort = options.defaultSort;
  if (sort && (sort.key !== defaultSort.key || sort.direction !== defaultSort.direction)) {
    search.set("sort", `${sort.direction === "descending" ? "-" : ""}${sort.key}`);
  }
  if (state.size !== (options.defaultSize ?? 50)) search.set("size", String(state.size));
  if (state.page > 1) search.set("page", String(state.page));
  return search;
}

/** How many pages `total` rows fill; an empty list still has its one (empty) page. */
export function pageCount(total, size) {
  return Math.max(1, Math.ceil(total / size));
}

/** The rows a page shows, counted from 1 ({first: 0, last: 0} when there are none). */
export function pageRows(page, size, total) {
  if (total <= 0) return { first: 0, last: 0 };
  const first = Math.min((page - 1) * size + 1, total);
  return { first, last: Math.min(page * size, total) };
}

/** The page that shows the first row of `page` once pages hold `newSize` rows. */
export function pageAfterResize(page, size, newSize) {
  return Math.floor(((page - 1) * size) / newSize) + 1;
}

/**
 * The day after a date (YYYY-MM-DD): people mean "up to and including" a day, the API's
 * `until` is the first moment no longer included. Anything else comes back as it was, for the
 * server to refuse in words.
 */
export function dayAfter(date) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const next = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1));
  if (Number.isNaN(next.getTime())) return date;
  return next.toISOString().slice(0, 10);
}
