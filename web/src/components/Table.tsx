// The portal's one table. A page declares its columns once; each column's header is both the
// table's header cell and, on a narrow screen where every row becomes a stacked block, the
// label above that cell's value, so the two cannot drift apart. Row actions (a column with
// `actions: true`) stay visible at every width: the stacked block shows them in full at its end.
//
// Props:
//   caption   what the table holds; read by screen readers (a heading on the page names it
//             for everyone else)
//   columns   Column[] in display order (see Column below)
//   rows      the rows to show, already filtered, sorted and paged as the page wants
//   rowKey    a stable key per row
//   sort      optional: the column key and direction the rows are sorted by, shown in the
//             header (aria-sort and an arrow); only columns with `sortable` can be chosen
//   onSort    optional: called with the sort the reader asks for (the other direction when the
//             column is sorted already, else ascending); without it no header is a button
//   pager     optional: what goes under the table, such as the pages of a server-side list
//   busy      optional: other rows are on their way (the next page of a server-side list); the
//             rows shown are the previous ones until then
//
// The width at which rows stack is the table's own (a container query in app.css), not the
// window's, so a table in a narrow column stacks too.
import {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from "@utrecht/component-library-react";
import { useEffect, useRef, useState } from "react";
import type { ReactNode, RefObject } from "react";

export type SortDirection = "ascending" | "descending";

export interface TableSort {
  key: string;
  direction: SortDirection;
}

export interface Column<Row> {
  // Names the column: React's key, and what `sort.key` and `onSort` speak of.
  key: string;
  // The header text, also the label of each value when rows are stacked.
  header: string;
  cell: (row: Row, index: number) => ReactNode;
  // The row's buttons: never hidden, and stacked without a label (each button says what it does).
  actions?: boolean;
  // Whether the reader may sort by this column (only with `onSort`).
  sortable?: boolean;
  // Numbers line up at the end of the cell on wide screens.
  numeric?: boolean;
  // The cells show what someone entered or a source wrote (a name, an advisory's title), in
  // its own language: marked data-user-content, which the language test does not read.
  userContent?: boolean;
}

export interface DataTableProps<Row> {
  caption: string;
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row, index: number) => string | number;
  sort?: TableSort;
  onSort?: (next: TableSort) => void;
  pager?: ReactNode;
  busy?: boolean;
}

function nextSort(current: TableSort | undefined, key: string): TableSort {
  if (current?.key === key) {
    return { key, direction: current.direction === "ascending" ? "descending" : "ascending" };
  }
  return { key, direction: "ascending" };
}

// Whether the element is wider inside than out: only then is the table's box a scrolling area
// that a keyboard user must be able to reach (WCAG 2.1.1); otherwise it stays out of the tab order.
function useOverflows<T extends HTMLElement>(): [RefObject<T | null>, boolean] {
  const ref = useRef<T>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const measure = () => setOverflows(element.scrollWidth > element.clientWidth + 1);
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    measure();
    return () => observer.disconnect();
  }, []);
  return [ref, overflows];
}

export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  sort,
  onSort,
  pager,
  busy,
}: DataTableProps<Row>) {
  const [box, overflows] = useOverflows<HTMLDivElement>();
  const sortable = onSort !== undefined && columns.some((column) => column.sortable);
  return (
    <div className={busy ? "baken-table baken-table--busy" : "baken-table"} aria-busy={busy || undefined}>
      <div
        ref={box}
        className="baken-table__box"
        // A group, not a region: the section around the table is the landmark, and two
        // landmarks with one name confuse more than they help.
        role="group"
        aria-label={caption}
        tabIndex={overflows ? 0 : undefined}
      >
        <Table className={sortable ? "baken-table__table baken-table__table--sortable" : "baken-table__table"}>
          <TableCaption>{caption}</TableCaption>
          <TableHeader>
            <TableRow>
              {columns.map((column) => {
                const canSort = onSort !== undefined && column.sortable === true;
                const sorted = sort?.key === column.key ? sort.direction : undefined;
                return (
                  <TableHeaderCell
                    key={column.key}
                    scope="col"
                    aria-sort={sorted}
                    data-sortable={canSort || undefined}
                    className={column.numeric ? "baken-table__numeric" : undefined}
                  >
                    {canSort ? (
                      <button
                        type="button"
                        className="baken-table__sort"
                        onClick={() => onSort(nextSort(sort, column.key))}
                      >
                        {column.header}
                        <span className="baken-table__sort-mark" aria-hidden="true">
                          {sorted === "ascending" ? "▲" : sorted === "descending" ? "▼" : "↕"}
                        </span>
                      </button>
                    ) : (
                      column.header
                    )}
                  </TableHeaderCell>
                );
              })}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((row, index) => (
              <TableRow key={rowKey(row, index)}>
                {columns.map((column) => (
                  <TableCell
                    key={column.key}
                    data-label={column.actions ? undefined : column.header}
                    className={
                      column.actions
                        ? "baken-table__actions"
                        : column.numeric
                          ? "baken-table__numeric"
                          : undefined
                    }
                  >
                    {/* One box per value, so that a stacked cell is two grid items: label, value. */}
                    <div className="baken-table__value" data-user-content={column.userContent ? "" : undefined}>
                      {column.cell(row, index)}
                    </div>
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {pager && <div className="baken-table__pager">{pager}</div>}
    </div>
  );
}
