// A researcher's report as an analyst names it: its reference (CVD-2026-00017, the year it
// came in and its id, src/disclosure/report_service.cc ReferenceOf) or the id alone. Plain
// JavaScript with its types in reportReference.d.ts, so that node's test runner loads it as it
// is (web/test/reportReference.test.mjs).

/**
 * The report's id in "CVD-2026-00017", "cvd-2026-17", "00017" or "17"; null for anything else
 * (another kind of reference, zero, more digits than an id can have).
 */
export function reportIdFrom(text) {
  const match = /^(?:CVD-\d{4}-)?0*([1-9]\d{0,14})$/i.exec(String(text).trim());
  return match ? Number(match[1]) : null;
}
