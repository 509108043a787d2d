// How the analysts' merge form reads the report to merge into (web/src/reportReference.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { reportIdFrom } from "../src/reportReference.js";

test("a reference or a number names the report's id", () => {
  assert.equal(reportIdFrom("CVD-2026-00017"), 17);
  assert.equal(reportIdFrom("cvd-2025-17"), 17);
  assert.equal(reportIdFrom(" CVD-2026-01234 "), 1234);
  assert.equal(reportIdFrom("17"), 17);
  assert.equal(reportIdFrom("00017"), 17);
  assert.equal(reportIdFrom("CVD-2026-100000"), 100000);
});

test("anything else names no report", () => {
  for (const text of ["", "0", "CVD-2026-00000", "CVD-26-00017", "INC-2026-00017", "#17", "17a", "-17", "1.5",
    "CVD-2026-", "1234567890123456"]) {
    assert.equal(reportIdFrom(text), null, text);
  }
});
