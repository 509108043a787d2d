// What the threat intelligence pages reckon without a browser (web/src/intel.js): who receives
// an event, the body of a form's indicator rows and where the server's refusals go, the field
// of a refusal to follow a feed, and the feed's files.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  absoluteUrl,
  emptyIndicatorRow,
  feedFileKind,
  followFieldOf,
  indicatorsBody,
  kFeedMatchDays,
  placeProblems,
  problemsOf,
  receivers,
  sortFeedFiles,
  sortFeedMatches,
} from "../src/intel.js";

test("TLP decides and distribution narrows, as intel::MayReceive does", () => {
  // The CERT only, whatever the TLP; RED and an unknown level never leave the CERT.
  for (const tlp of ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]) assert.equal(receivers(tlp, "cert", 3), "cert");
  for (const distribution of ["named", "members", "partners"]) {
    assert.equal(receivers("RED", distribution, 2), "cert");
    assert.equal(receivers("WHITE", distribution, 2), "cert");
  }
  // AMBER reaches the members named only, never "all members".
  assert.equal(receivers("AMBER", "members", 2), "named");
  assert.equal(receivers("AMBER", "partners", 0), "nobody");
  assert.equal(receivers("AMBER+STRICT", "members", 1), "namedOwn");
  assert.equal(receivers("AMBER+STRICT", "named", 0), "nobody");
  // CLEAR and GREEN as distributed.
  assert.equal(receivers("GREEN", "named", 1), "named");
  assert.equal(receivers("GREEN", "named", 0), "nobody");
  assert.equal(receivers("GREEN", "members", 0), "members");
  assert.equal(receivers("CLEAR", "partners", 0), "partners");
});

test("empty rows are left out and each indicator remembers its row", () => {
  const rows = [
    { ...emptyIndicatorRow(), value: " 203.0.113.7 ", comment: " C2 " },
    emptyIndicatorRow(),
    { ...emptyIndicatorRow(), value: "evil.example", kind: "domain", for_detection: false, valid_until: "2026-12-31" },
  ];
  const { indicators, rowOf } = indicatorsBody(rows);
  assert.deepEqual(indicators, [
    { value: "203.0.113.7", for_detection: true, comment: "C2" },
    { value: "evil.example", for_detection: false, kind: "domain", valid_until: "2026-12-31T00:00:00Z" },
  ]);
  assert.deepEqual(rowOf, [0, 2]);
  assert.deepEqual(indicatorsBody([emptyIndicatorRow()]), { indicators: [], rowOf: [] });
});

test("a refusal's problems go to the form row and field they name", () => {
  const problems = problemsOf({
    code: "problems.several",
    params: { count: "4" },
    errors: [
      { code: "intel.value_invalid", params: { field: "indicators[1].value", kind: "ip", value: "999.1.1.1" } },
      { code: "field.too_long", params: { field: "title", max: "500" } },
      { code: "field.type", params: { field: "indicators[0]", kind: "an object" } },
      { code: "not_found", params: {} },
    ],
  });
  assert.equal(problems.length, 4, "the general code of a list is not a problem of its own");
  // Body indicator 1 came from form row 2 (row 1 was empty).
  const placed = placeProblems(problems, [0, 2]);
  assert.deepEqual([...placed.rows.keys()].sort(), [0, 2]);
  assert.equal(placed.rows.get(2)[0].column, "value");
  assert.equal(placed.rows.get(2)[0].code, "intel.value_invalid");
  assert.equal(placed.rows.get(0)[0].column, "");
  assert.deepEqual([...placed.fields.keys()], ["title"]);
  assert.deepEqual(placed.other.map((problem) => problem.code), ["not_found"]);
  // A single problem comes as the refusal itself.
  const single = problemsOf({ code: "intel.value_unknown", params: { field: "indicators[0].value", value: "x" } });
  assert.deepEqual(single, [{ code: "intel.value_unknown", params: { field: "indicators[0].value", value: "x" } }]);
  // A place the form does not have is not pinned on a row.
  assert.equal(placeProblems(single, []).other.length, 1);
});

test("a refusal to follow a feed goes to the field it concerns", () => {
  // The feed's own refusals name no field: the code says which.
  assert.equal(followFieldOf({ code: "intel.feed_url_plain", params: { value: "http://feeds.example.org/misp/" } }), "url");
  assert.equal(followFieldOf({ code: "intel.feed_url_invalid", params: { value: "ftp://x" } }), "url");
  assert.equal(followFieldOf({ code: "intel.distribution_unknown", params: { value: "all" } }), "distribution");
  // A field's type or length names it, an item of a list by its list.
  assert.equal(followFieldOf({ code: "field.too_long", params: { field: "url", max: "2000" } }), "url");
  assert.equal(followFieldOf({ code: "field.type", params: { field: "named[1]", kind: "a string" } }), "named");
  // What names no field of the form stays with the form as a whole.
  assert.equal(followFieldOf({ code: "field.unknown", params: { field: "tlp" } }), null);
  assert.equal(followFieldOf({ code: "not_found", params: undefined }), null);
});

test("the feed's files are explained in a fixed order, new ones last", () => {
  assert.equal(feedFileKind("rpz.zone"), "rpz");
  assert.equal(feedFileKind("misp-feed/manifest.json"), "mispFeed");
  assert.equal(feedFileKind("yara.rules"), null);
  const names = sortFeedFiles([{ name: "stix.json" }, { name: "zeek.intel" }, { name: "ip.txt" }, { name: "suricata.rules" }]).map(
    (file) => file.name,
  );
  assert.deepEqual(names, ["ip.txt", "suricata.rules", "stix.json", "zeek.intel"]);
  assert.equal(absoluteUrl("/api/v1/intel/feed/abc/ip.txt", "https://baken.example"), "https://baken.example/api/v1/intel/feed/abc/ip.txt");
  assert.equal(absoluteUrl("https://feeds.example/x", "https://baken.example"), "https://feeds.example/x");
});

test("findings with an indicator's value: the newest first, one finding's rows together", () => {
  const match = (event, value, field, observed) => ({ indicator: 1, value, event, member: null, feed: "f", classification: "c", field, observed });
  const sorted = sortFeedMatches([
    match(3, "203.0.113.50", "destination.ip", "2026-12-05T08:00:00+00:00"),
    match(7, "evil.example", "source.fqdn", "2026-12-06T08:00:00+00:00"),
    match(9, "203.0.113.50", "source.ip", "2026-12-06T09:00:00+01:00"), // the same moment as event 7 and 8
    match(8, "203.0.113.50", "destination.ip", "2026-12-06T08:00:00Z"),
    match(7, "203.0.113.50", "destination.ip", "2026-12-06T08:00:00+00:00"),
    match(1, "x", "extra.y", "not a time"),
  ]);
  assert.deepEqual(
    sorted.map((m) => `${m.event} ${m.value}`),
    ["9 203.0.113.50", "8 203.0.113.50", "7 203.0.113.50", "7 evil.example", "3 203.0.113.50", "1 x"],
  );
  // Within the 1 to 365 days the API reads back.
  assert.ok(kFeedMatchDays.every((days) => Number.isInteger(days) && days >= 1 && days <= 365));
  assert.ok(kFeedMatchDays.includes(30), "the API's default is a choice");
});
