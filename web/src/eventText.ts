// How the portal names what an event carries: its RSIT classification type, its IntelMQ
// fields and the system it is about, in the reader's language. A value Baken does not know
// (a type or field added to IntelMQ later) shows as itself rather than as a message key.
import type { BakenEvent } from "./api";
import { messages } from "./messages";
import type { MessageKey } from "./messages";

// The RSIT classification types IntelMQ knows (src/feeds/harmonization.cc kTypes).
export const kEventTypes = [
  "application-compromise",
  "blacklist",
  "brute-force",
  "burglary",
  "c2-server",
  "copyright",
  "data-leak",
  "data-loss",
  "ddos",
  "ddos-amplifier",
  "dga-domain",
  "dos",
  "exploit",
  "harmful-speech",
  "ids-alert",
  "infected-system",
  "information-disclosure",
  "malware",
  "malware-configuration",
  "malware-distribution",
  "masquerade",
  "misconfiguration",
  "other",
  "outage",
  "phishing",
  "potentially-unwanted-accessible",
  "privileged-account-compromise",
  "proxy",
  "sabotage",
  "scanner",
  "sniffing",
  "social-engineering",
  "spam",
  "system-compromise",
  "test",
  "tor",
  "unauthorised-information-access",
  "unauthorised-information-modification",
  "unauthorized-use-of-resources",
  "undetermined",
  "unprivileged-account-compromise",
  "violence",
  "vulnerable-system",
  "weak-crypto",
] as const;

export const kTlpLevels = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"] as const;

type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

function known(key: string): key is MessageKey {
  return Object.hasOwn(messages.nl, key);
}

export function typeLabel(t: Translate, type: string): string {
  const key = `eventType.${type}`;
  return known(key) ? t(key) : type;
}

// A field's name for people, or null where the IntelMQ name is all there is.
export function fieldLabel(t: Translate, field: string): string | null {
  const key = `field.${field}`;
  return known(key) ? t(key) : null;
}

export function text(event: BakenEvent, field: string): string {
  const value = event[field];
  return value === null || value === undefined ? "" : String(value);
}

// What a reader recognises the event by: its address, else its host name or URL.
export function systemOf(event: BakenEvent): string {
  return (
    text(event, "source.ip") ||
    text(event, "source.fqdn") ||
    text(event, "source.url") ||
    text(event, "destination.ip") ||
    text(event, "destination.fqdn")
  );
}

export function asnText(event: BakenEvent, field = "source.asn"): string {
  const asn = text(event, field);
  return asn === "" ? "" : `AS${asn}`;
}
