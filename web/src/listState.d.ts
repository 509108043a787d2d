// Types of listState.js (plain JavaScript so that node's test runner loads it as it is).
import type { TableSort } from "./components/Table";

export interface ListOptions {
  filters: readonly string[];
  sortKeys: readonly string[];
  defaultSort: TableSort;
  sizes?: readonly number[];
  defaultSize?: number;
}

export interface ListState {
  page: number;
  size: number;
  sort: TableSort;
  filters: Record<string, string>;
}

export const kPageSizes: readonly number[];
export function readListState(search: URLSearchParams, options: ListOptions): ListState;
export function listSearch(state: ListState, options: ListOptions): URLSearchParams;
export function pageCount(total: number, size: number): number;
export function pageRows(page: number, size: number, total: number): { first: number; last: number };
export function pageAfterResize(page: number, size: number, newSize: number): number;
export function dayAfter(date: string): string;
