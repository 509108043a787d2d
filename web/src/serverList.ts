// A list the server pages, sorts and filters (events now; outbox, advisories, warnings and
// members next). Page, page size, sort and filters live in the address's query string
// (listState.js), so that a page of a list is linkable and the back button goes back through
// pages and filters; each change is a history entry. The API is asked for one page at a time
// with `offset` and `limit` and answers with its rows and the true `total`.
//
// While the next page is on its way the current rows stay (busy), so that the table and the
// pager under the reader's hand do not vanish; rows of another list (another `path`) are never
// shown in the meantime. After a page link the focus moves to `resultsRef` (the line that says
// how many rows there are) once the page has come, as a new page would put it at the top.
//
// Options:
//   path        the API list with its fixed parameters ("/events?unrouted=true")
//   filters     the names of the filters, the same in the address and the API
//   apiFilters  optional: the API's parameters for the filters, where they differ (an end date
//               people mean inclusively)
//   sorts       per sortable column key, the API parameters that sort by it in a direction
//   defaultSort the sort of the plain address
//   rows        the rows of a reply
//   sizes, defaultSize   the page sizes to choose from (25, 50, 100) and the plain one (50)
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { RefObject } from "react";
import { useSearchParams } from "react-router";
import { ApiError, api } from "./api";
import type { SortDirection, TableSort } from "./components/Table";
import type { PagerProps } from "./components/Pager";
import { listSearch, pageAfterResize, pageCount, readListState } from "./listState.js";
import type { ListOptions, ListState } from "./listState.js";

export interface ServerListOptions<Reply, Row> {
  path: string;
  filters: readonly string[];
  apiFilters?: (filters: Record<string, string>) => Record<string, string>;
  sorts: Record<string, (direction: SortDirection) => Record<string, string>>;
  defaultSort: TableSort;
  rows: (reply: Reply) => Row[];
  sizes?: readonly number[];
  defaultSize?: number;
}

export interface ServerList<Row> {
  status: "loading" | "error" | "ready";
  error: ApiError | null;
  rows: Row[];
  total: number;
  busy: boolean;
  page: number;
  size: number;
  sort: TableSort;
  filters: Record<string, string>;
  filtered: boolean;
  setSort: (sort: TableSort) => void;
  setFilters: (filters: Record<string, string>) => void;
  // The query string of this list with other filters: for a link to the same list elsewhere.
  searchWith: (filters: Record<string, string>) => string;
  pager: Omit<PagerProps, "label">;
  // Asks for the same page again (after an action changed a row); the rows stay until it comes.
  reload: () => void;
  // The API path of rows offset..offset+limit of this list as it is filtered and sorted (export).
  apiPathFor: (offset: number, limit: number) => string;
  resultsRef: RefObject<HTMLElement | null>;
}

interface Loaded<Row> {
  base: string;
  path: string;
  rows: Row[];
  total: number;
}

export function useServerList<Reply extends { total: number }, Row>(
  options: ServerListOptions<Reply, Row>,
): ServerList<Row> {
  const [search, setSearch] = useSearchParams();
  const listOptions: ListOptions = useMemo(
    () => ({
      filters: options.filters,
      sortKeys: Object.keys(options.sorts),
      defaultSort: options.defaultSort,
      sizes: options.sizes,
      defaultSize: options.defaultSize,
    }),
    // A page passes its options anew on each render; their contents, not their identity, matter.
    [options.filters.join(), Object.keys(options.sorts).join(), options.defaultSort.key, options.defaultSort.direction],
  );
  const state = readListState(search, listOptions);
  const { page, size, sort, filters } = state;
  const sorts = options.sorts;
  const apiFilters = options.apiFilters;

  const apiPathFor = useCallback(
    (offset: number, limit: number) => {
      const query = new URLSearchParams({
        ...(apiFilters ? apiFilters(filters) : filters),
        ...(sorts[sort.key]?.(sort.direction) ?? {}),
        offset: String(offset),
        limit: String(limit),
      });
      return `${options.path}${options.path.includes("?") ? "&" : "?"}${query.toString()}`;
    },
    // `filters` is a new object on each render; its text says whether it changed.
    [options.path, JSON.stringify(filters), sort.key, sort.direction],
  );
  const path = apiPathFor((page - 1) * size, size);

  const [loaded, setLoaded] = useState<Loaded<Row> | null>(null);
  const [generation, setGeneration] = useState(0);
  const [failed, setFailed] = useState<{ path: string; error: ApiError } | null>(null);
  const rowsOf = useRef(options.rows);
  rowsOf.current = options.rows;
  useEffect(() => {
    let current = true;
    api<Reply>(path)
      .then((reply) => {
        if (!current) return;
        setLoaded({ base: options.path, path, rows: rowsOf.current(reply), total: reply.total });
        setFailed(null);
      })
      .catch((error: unknown) => {
        if (!current) return;
        setFailed({ path, error: error instanceof ApiError ? error : new ApiError(0, String(error)) });
      });
    return () => {
      current = false;
    };
  }, [path, options.path, generation]);

  const shown = loaded && loaded.base === options.path ? loaded : null;
  const error = failed?.path === path ? failed.error : null;
  const status = error ? "error" : shown ? "ready" : "loading";
  const busy = status === "ready" && shown!.path !== path;
  const total = shown?.total ?? 0;

  const write = useCallback(
    (next: ListState, replace = false) => setSearch(listSearch(next, listOptions), { replace }),
    [setSearch, listOptions],
  );

  // A page past the end (the list shrank, or a link is old) shows the last page instead.
  useEffect(() => {
    if (status !== "ready" || busy || !shown) return;
    const last = pageCount(shown.total, size);
    if (page > last) write({ ...state, page: last }, true);
  });

  const resultsRef = useRef<HTMLElement | null>(null);
  const focusPending = useRef(false);
  useEffect(() => {
    if (!focusPending.current || status !== "ready" || busy) return;
    focusPending.current = false;
    const target = resultsRef.current;
    if (target) {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "start" });
    }
  }, [status, busy, path]);

  const searchWith = (next: Record<string, string>) =>
    listSearch({ ...state, filters: next, page: 1 }, listOptions).toString();

  return {
    status,
    error,
    rows: shown?.rows ?? [],
    total,
    busy,
    page,
    size,
    sort,
    filters,
    filtered: Object.keys(filters).length > 0,
    setSort: (next) => write({ ...state, sort: next, page: 1 }),
    setFilters: (next) => write({ ...state, filters: next, page: 1 }),
    searchWith,
    pager: {
      page,
      size,
      total,
      busy,
      hrefFor: (target) => ({ search: `?${listSearch({ ...state, page: target }, listOptions).toString()}` }),
      onFollow: () => {
        focusPending.current = true;
      },
      sizes: options.sizes,
      onSize: (next) => write({ ...state, size: next, page: pageAfterResize(page, size, next) }),
    },
    apiPathFor,
    resultsRef,
    reload: () => setGeneration((count) => count + 1),
  };
}
