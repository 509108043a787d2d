// The words for values the server sends as codes: Shadowserver report names (feed.name) from
// i18n/feeds.json, risk levels and remediation categories from i18n/labels.json, and the
// incidents' codes (states, causes, impacts, priorities, RSIT classes and types with the IBD's
// Dutch names) from i18n/incidents.json. The program
// compiles the same tables into its e-mails (src/notify/labels.h), so a member reads the same
// name in the portal as in the message.
import feedTable from "../../i18n/feeds.json";
import labelTable from "../../i18n/labels.json";
import incidentTable from "../../i18n/incidents.json";
import { rsitChoices } from "./incidentTables.js";
import type { ChoiceGroup } from "./incidentTables.js";
import type { Language } from "./messages";

const feeds: Record<string, Record<Language, string>> = feedTable;
const labels: Record<string, Record<Language, string>> = labelTable;
const incidentWords: Record<string, Record<Language, string>> = incidentTable;

// A feed the operator named ("Partner-CERT melding") is not in the table and keeps its name.
export function feedName(language: Language, name: string): string {
  return Object.hasOwn(feeds, name) ? feeds[name]![language] : name;
}

export function isKnownFeed(name: string): boolean {
  return Object.hasOwn(feeds, name);
}

// "Hoog" (the API's stable value) as "hoog" or "high".
export function riskLabel(language: Language, risk: string): string {
  const key = `risk.${risk}`;
  return Object.hasOwn(labels, key) ? labels[key]![language] : risk;
}

// "vendor_fix: Update to 4.2." as "Update van de leverancier: Update to 4.2."; the advisory's own
// text after the category stays in the language its publisher wrote it in.
export function remediationText(language: Language, line: string): string {
  const colon = line.indexOf(": ");
  if (colon < 0) return line;
  const key = `remediation.${line.slice(0, colon)}`;
  return Object.hasOwn(labels, key) ? labels[key]![language] + line.slice(colon) : line;
}

// Split form, for a page that shows the category as a label and the text as the publisher's.
export function remediationParts(language: Language, line: string): { category: string | null; details: string } {
  const colon = line.indexOf(": ");
  if (colon < 0) return { category: null, details: line };
  const key = `remediation.${line.slice(0, colon)}`;
  return Object.hasOwn(labels, key)
    ? { category: labels[key]![language], details: line.slice(colon + 2) }
    : { category: null, details: line };
}

// The kinds of incident codes i18n/incidents.json names.
export type IncidentWordKind =
  | "state"
  | "cause"
  | "impact"
  | "priority"
  | "source"
  | "breach"
  | "task"
  | "member_kind"
  | "class";

// "in_progress" as "in behandeling"; a code the table does not know shows as itself.
export function incidentLabel(language: Language, kind: IncidentWordKind, code: string): string {
  const key = `${kind}.${code}`;
  return Object.hasOwn(incidentWords, key) ? incidentWords[key]![language] : code;
}

// An RSIT type as its name with the code beside it: "Phishing (fraud:phishing)".
export function rsitTypeLabel(language: Language, classification: string, type: string): string {
  const key = `type.${classification}.${type}`;
  const name = Object.hasOwn(incidentWords, key) ? incidentWords[key]![language] : type;
  return `${name} (${classification}:${type})`;
}

// The taxonomy as the drop-down's groups (a class) and choices (a type, "fraud:phishing").
export function rsitTypeChoices(language: Language): ChoiceGroup[] {
  return rsitChoices(incidentWords, language);
}

// A page's severity or kind of source ("critical" as "kritiek"), as its e-mail words it.
export function pageWord(language: Language, kind: "severity" | "source", value: string): string {
  const key = `page.${kind}.${value}`;
  return Object.hasOwn(labels, key) ? labels[key]![language] : value;
}
