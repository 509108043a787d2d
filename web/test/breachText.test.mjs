// A data breach's pure logic (web/src/breachText.js): the countdown to the AP's deadline and
// the text for the AP's notification form, in the form's order.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apFormText, breachCountdown } from "../src/breachText.js";

const kDeadline = "2026-12-08T10:00:00Z";

test("the countdown gives whole hours and minutes left, rounded down", () => {
  const now = Date.parse("2026-12-06T10:47:30Z"); // 47 h 12 min 30 s before the deadline
  assert.deepEqual(breachCountdown(kDeadline, now), { past: false, hours: 47, minutes: 12 });
  assert.deepEqual(breachCountdown(kDeadline, Date.parse("2026-12-08T09:59:59Z")), { past: false, hours: 0, minutes: 0 });
});

test("past the deadline the countdown says how long ago", () => {
  assert.deepEqual(breachCountdown(kDeadline, Date.parse(kDeadline)), { past: true, hours: 0, minutes: 0 });
  assert.deepEqual(breachCountdown(kDeadline, Date.parse("2026-12-08T12:05:00Z")), { past: true, hours: 2, minutes: 5 });
});

const kOptions = {
  t: (key) => `[${key}]`,
  time: (iso) => `time(${iso})`,
  number: (value) => `n(${value})`,
  memberName: "Gemeente Amsterdam",
};

const kBreach = {
  aware_at: "2026-12-05T10:00:00Z",
  deadline_at: kDeadline,
  ap_decision: "notify",
  ap_reference: "M-2026-123",
  delay_reason: null,
  subjects_decision: "no_inform",
  subjects_reason: "versleuteld",
  details: {
    description: "Brief naar verkeerd adres",
    nature: ["confidentiality", "availability"],
    data_categories: ["naam", "BSN"],
    records: 1200,
    subjects: 0,
    protection: "versleuteld",
    risk: "high_risk",
  },
};

test("the form's text follows the AP's sections in order, with the breach's facts", () => {
  const text = apFormText(kBreach, kOptions);
  const sections = [...text.matchAll(/^(\d+)\. \[(breach\.apSection\w+)\]$/gm)].map((match) => `${match[1]} ${match[2]}`);
  assert.deepEqual(sections, [
    "1 breach.apSectionContact",
    "2 breach.apSectionTimeline",
    "3 breach.apSectionBreach",
    "4 breach.apSectionData",
    "5 breach.apSectionSubjects",
    "6 breach.apSectionProtection",
    "7 breach.apSectionConsequences",
    "8 breach.apSectionFollowUp",
    "9 breach.apSectionInternational",
    "10 breach.apSectionOther",
  ]);
  assert.match(text, /^\[breach\.apOrganisation\]: Gemeente Amsterdam$/m);
  assert.match(text, /^\[breach\.apFollowUp\]: \[breach\.apFollowUpYes\] M-2026-123$/m);
  assert.match(text, /^\[breach\.awareAt\]: time\(2026-12-05T10:00:00Z\)$/m);
  assert.match(text, /^\[breach\.description\]: Brief naar verkeerd adres$/m);
  assert.match(text, /^\[breach\.nature\]: \[breach\.natureValue\.confidentiality\], \[breach\.natureValue\.availability\]$/m);
  assert.match(text, /^\[breach\.dataCategories\]: naam, BSN$/m);
  assert.match(text, /^\[breach\.records\]: n\(1200\)$/m);
  // Zero is an answer, not a question left open.
  assert.match(text, /^\[breach\.subjects\]: n\(0\)$/m);
  assert.match(text, /^\[breach\.risk\]: \[breach\.risk\.high_risk\]$/m);
  assert.match(text, /^\[breach\.subjectsDecision\]: \[breach\.subjects\.no_inform\]$/m);
  assert.match(text, /^\[breach\.subjectsReason\]: versleuteld$/m);
  // The time the member became aware comes after the breach's start and discovery, as on the form.
  assert.ok(text.indexOf("[breach.discoveredAt]") < text.indexOf("[breach.awareAt]"));
});

test("a question the breach does not answer says so, for the member to fill in", () => {
  const text = apFormText({ ...kBreach, ap_reference: null, details: {} }, kOptions);
  assert.match(text, /^\[breach\.description\]: \[breach\.apNotGiven\]$/m);
  assert.match(text, /^\[breach\.records\]: \[breach\.apNotGiven\]$/m);
  assert.match(text, /^\[breach\.apFollowUp\]: \[breach\.apFollowUpNo\]$/m);
});
