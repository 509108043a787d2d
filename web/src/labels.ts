// The words for values the server sends as codes: Shadowserver report names (feed.name) from
// i18n/feeds.json, risk levels and remediation categories from i18n/labels.json. The program
// compiles the same tables into its e-mails (src/notify/labels.h), so a member reads the same
// name in the portal as in the message.
import feedTable from "../../i18n/feeds.json";
import labelTable from "../../i18n/labels.json";
import type { Language } from "./messages";

const feeds: Record<string, Record<Language, string>> = feedTable;
const labels: Record<string, Record<Language, string>> = labelTable;

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
