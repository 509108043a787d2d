// What approving an overlapping claim does (web/src/overlap.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { overlapEffect } from "../src/overlap.js";

test("a narrower claim takes that part's findings; a wider one leaves the other its part", () => {
  assert.equal(overlapEffect("netblock", "203.0.113.0/25", "203.0.113.0/24"), "narrower");
  assert.equal(overlapEffect("netblock", "203.0.113.0/24", "203.0.113.0/25"), "wider");
  assert.equal(overlapEffect("netblock", "2001:db8:1::/48", "2001:db8::/32"), "narrower");
  assert.equal(overlapEffect("netblock", "203.0.113.0/24", "203.0.113.0/24"), "same");
  assert.equal(overlapEffect("domain", "www.amsterdam.example.nl", "amsterdam.example.nl"), "narrower");
  assert.equal(overlapEffect("domain", "example.nl", "amsterdam.example.nl"), "wider");
  assert.equal(overlapEffect("domain", "example.nl", "example.nl"), "same");
  assert.equal(overlapEffect("asn", "64500", "64500"), "same");
});
