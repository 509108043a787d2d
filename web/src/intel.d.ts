// Types of intel.js (plain JavaScript so that node's test runner loads it as it is).
export type IndicatorKind =
  | "ip"
  | "cidr"
  | "domain"
  | "host"
  | "url"
  | "email"
  | "md5"
  | "sha1"
  | "sha256"
  | "filename"
  | "asn"
  | "cve"
  | "text"
  | "other";
export type Distribution = "cert" | "named" | "members" | "partners";
export type SightingKind = "seen" | "false_positive" | "expired";
export type Receivers = "cert" | "nobody" | "named" | "namedOwn" | "members" | "partners";

export const kIndicatorKinds: readonly IndicatorKind[];
export const kDistributions: readonly Distribution[];
export const kSightingKinds: readonly SightingKind[];

export function receivers(tlp: string, distribution: string, namedCount: number): Receivers;

export interface IndicatorRow {
  value: string;
  kind: IndicatorKind | "";
  for_detection: boolean;
  valid_until: string;
  comment: string;
}

export interface NewIndicatorBody {
  value: string;
  kind?: IndicatorKind;
  for_detection: boolean;
  valid_until?: string;
  comment?: string;
}

export function emptyIndicatorRow(): IndicatorRow;
export function indicatorsBody(rows: readonly IndicatorRow[]): { indicators: NewIndicatorBody[]; rowOf: number[] };

export interface PlacedProblem {
  code: string | undefined;
  params: Record<string, string> | undefined;
}
export interface RowProblem extends PlacedProblem {
  column: string;
}
export function placeProblems(
  problems: readonly PlacedProblem[],
  rowOf: readonly number[],
): { rows: Map<number, RowProblem[]>; fields: Map<string, PlacedProblem[]>; other: PlacedProblem[] };
export function problemsOf(error: {
  code?: string;
  params?: Record<string, string>;
  errors?: readonly { code: string; params?: Record<string, string> }[];
}): PlacedProblem[];

export function followFieldOf(problem: PlacedProblem): "url" | "distribution" | "named" | null;

export type FeedFileKind = "ip" | "domains" | "rpz" | "suricata" | "misp" | "mispFeed" | "mispHashes" | "stix" | "csv";
export function feedFileKind(name: string): FeedFileKind | null;
export function sortFeedFiles<File extends { name: string }>(files: readonly File[]): File[];
export function absoluteUrl(url: string, origin: string): string;

export const kFeedMatchDays: readonly number[];
export function sortFeedMatches<Match extends { observed: string; event: number; value: string; field: string }>(
  matches: readonly Match[],
): Match[];
