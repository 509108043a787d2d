// Types of csv.js (plain JavaScript so that node's test runner loads it as it is).
export function csvCell(value: unknown): string;
export function csvText(keys: readonly string[], rows: readonly Record<string, unknown>[]): string;
