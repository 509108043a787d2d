// A data breach's pure logic (issue 15, decision 0018), plain JavaScript so that node's test
// runner loads it as it is: the countdown to the AP's deadline, and the text a member copies
// into the AP's "Meldformulier datalekken", in the form's order (incidents_sharing.md §9.1:
// 1 contact details, 2 timeline, 3 the breach, 4 personal data, 5 the people, 6 protection
// before the breach, 7 consequences, 8 follow-up, 9 international aspects, 10 other).

// Whole hours and minutes between `now` (milliseconds) and the deadline (UTC text); `past`
// when the deadline has gone by, then counting how long ago. Time left is rounded down: the
// countdown never promises more time than there is.
export function breachCountdown(deadlineAt, now) {
  const left = Date.parse(deadlineAt) - now;
  const past = left <= 0;
  const minutes = past ? Math.ceil(Math.abs(left) / 60000) : Math.floor(left / 60000);
  return { past, hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}

// The form's sections, each a list of [label key, value] in the form's order; `value(breach)`
// gives text, or null when the breach does not say it.
const kSections = [
  ["breach.apSectionContact", [
    ["breach.apOrganisation", (b, o) => o.memberName],
    ["breach.reporter", (b) => b.details.reporter],
    ["breach.dpo", (b) => b.details.dpo],
    ["breach.apFollowUp", (b, o) => (b.ap_reference ? `${o.t("breach.apFollowUpYes")} ${b.ap_reference}` : o.t("breach.apFollowUpNo"))],
  ]],
  ["breach.apSectionTimeline", [
    ["breach.startedAt", (b, o) => time(b.details.started_at, o)],
    ["breach.endedAt", (b, o) => time(b.details.ended_at, o)],
    ["breach.discoveredAt", (b, o) => time(b.details.discovered_at, o)],
    ["breach.awareAt", (b, o) => time(b.aware_at, o)],
    ["breach.delayReason", (b) => b.delay_reason],
  ]],
  ["breach.apSectionBreach", [
    ["breach.description", (b) => b.details.description],
    ["breach.nature", (b, o) => list(b.details.nature, o, "breach.natureValue")],
    ["breach.systems", (b, o) => list(b.details.systems, o)],
    ["breach.processors", (b) => b.details.processors],
  ]],
  ["breach.apSectionData", [
    ["breach.dataCategories", (b, o) => list(b.details.data_categories, o)],
    ["breach.specialCategories", (b, o) => list(b.details.special_categories, o)],
    ["breach.records", (b, o) => number(b.details.records, o)],
  ]],
  ["breach.apSectionSubjects", [
    ["breach.subjectCategories", (b, o) => list(b.details.subject_categories, o)],
    ["breach.subjects", (b, o) => number(b.details.subjects, o)],
  ]],
  ["breach.apSectionProtection", [["breach.protection", (b) => b.details.protection]]],
  ["breach.apSectionConsequences", [
    ["breach.consequences", (b) => b.details.consequences],
    ["breach.risk", (b, o) => (b.details.risk ? o.t(`breach.risk.${b.details.risk}`) : null)],
    ["breach.riskRationale", (b) => b.details.risk_rationale],
  ]],
  ["breach.apSectionFollowUp", [
    ["breach.subjectsDecision", (b, o) => o.t(`breach.subjects.${b.subjects_decision}`)],
    ["breach.subjectsReason", (b) => b.subjects_reason],
    ["breach.subjectsInformedAt", (b, o) => time(b.details.subjects_informed_at, o)],
    ["breach.channel", (b) => b.details.channel],
    ["breach.subjectsText", (b) => b.details.subjects_text],
    ["breach.measures", (b) => b.details.measures],
  ]],
  ["breach.apSectionInternational", [["breach.crossBorder", (b) => b.details.cross_border]]],
  ["breach.apSectionOther", [["breach.otherNotifications", (b) => b.details.other_notifications]]],
];

function time(value, o) {
  return value ? o.time(value) : null;
}

function list(values, o, valueKey) {
  if (!Array.isArray(values) || values.length === 0) return null;
  return values.map((value) => (valueKey ? o.t(`${valueKey}.${value}`) : value)).join(", ");
}

function number(value, o) {
  return typeof value === "number" ? o.number(value) : null;
}

// The text, section by section: "1. Contactgegevens", then "label: value" lines; a question the
// breach does not answer says so, for the member to fill in on the AP's form.
// `o`: { t(key) → words, time(iso) → local date and time, number(n) → text, memberName }.
export function apFormText(breach, o) {
  const details = breach.details ?? {};
  const b = { ...breach, details };
  const blocks = kSections.map(([title, fields], index) => {
    const lines = fields.map(([label, value]) => {
      const shown = value(b, o);
      const text = shown === null || shown === undefined || shown === "" ? o.t("breach.apNotGiven") : String(shown);
      return `${o.t(label)}: ${text}`;
    });
    return [`${index + 1}. ${o.t(title)}`, ...lines].join("\n");
  });
  return `${blocks.join("\n\n")}\n`;
}

// The natures the AP's form asks about (the GDPR's three security properties).
export const kNatures = ["confidentiality", "integrity", "availability"];
export const kRisks = ["none", "risk", "high_risk"];
