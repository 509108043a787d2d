// Types of incidentTables.js (plain JavaScript so that node's test runner loads it as it is).
export type WordTable = Record<string, Record<"nl" | "en", string>>;

export interface RsitClass {
  classification: string;
  types: string[];
}

export interface ChoiceGroup {
  label: string;
  options: { value: string; label: string }[];
}

export interface StatsCount {
  classification?: string | null;
  type?: string | null;
  cause?: string | null;
  impact?: string | null;
  member_kind?: string | null;
  count: number;
  share: number;
}

export type StatsTableName = "by_classification" | "by_type" | "by_cause" | "by_impact" | "by_member_kind";

export interface IncidentStats {
  from: string | null;
  to: string | null;
  member: string | null;
  total: number;
  by_classification: StatsCount[];
  by_type: StatsCount[];
  by_cause: StatsCount[];
  by_impact: StatsCount[];
  by_member_kind: StatsCount[];
}

export interface StatsRow {
  table: string;
  code: string;
  name: string;
  count: number;
  share: number;
}

export function rsitTaxonomy(table: WordTable): RsitClass[];
export function rsitValue(classification: string | null | undefined, type: string | null | undefined): string;
export function rsitPair(value: string): { classification: string | null; type: string | null };
export function rsitChoices(table: WordTable, language: "nl" | "en"): ChoiceGroup[];
export const kStatsTables: readonly { name: StatsTableName; field: keyof StatsCount }[];
export function statsRows(
  stats: IncidentStats,
  tableName: (name: StatsTableName) => string,
  label: (name: StatsTableName, row: StatsCount) => string,
  totalLabel: string,
): StatsRow[];
export const kStatsColumns: readonly string[];
