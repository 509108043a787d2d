// The incident pages' pure logic (web/src/incidentTables.js): the RSIT taxonomy as the
// analyst's choice list, read from i18n/incidents.json, and the statistics as CSV rows.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { csvText } from "../src/csv.js";
import { kStatsColumns, rsitChoices, rsitPair, rsitTaxonomy, rsitValue, statsRows } from "../src/incidentTables.js";

const table = JSON.parse(readFileSync(new URL("../../i18n/incidents.json", import.meta.url), "utf8"));
const rsit = JSON.parse(readFileSync(new URL("../../data/taxonomy/rsit.json", import.meta.url), "utf8"));

test("the choice list has every class and type of the RSIT taxonomy the server compiles in", () => {
  const fromTaxonomy = rsit.values.flatMap((klass) => klass.entry.map((entry) => `${klass.predicate}:${entry.value}`)).sort();
  const fromChoices = rsitTaxonomy(table).flatMap(({ classification, types }) => types.map((type) => `${classification}:${type}`)).sort();
  assert.deepEqual(fromChoices, fromTaxonomy);
});

test("a type reads as its name with the code beside it, grouped under its class, in either language", () => {
  const nl = rsitChoices(table, "nl");
  const fraud = nl.find((group) => group.label === table["class.fraud"].nl);
  assert.ok(fraud, "no group for the class fraud");
  assert.ok(fraud.options.some((option) => option.value === "fraud:phishing" && option.label === "Phishing (fraud:phishing)"));
  const leak = nl.flatMap((group) => group.options).find((option) => option.value === "information-content-security:data-leak");
  assert.equal(leak.label, "Lekken van vertrouwelijke gegevens (information-content-security:data-leak)");
  const en = rsitChoices(table, "en").flatMap((group) => group.options);
  assert.equal(en.find((option) => option.value === "information-content-security:data-leak").label, "Leak of Confidential Information (information-content-security:data-leak)");
});

test("a choice's value is the pair, and back; an incomplete value is no pair", () => {
  assert.equal(rsitValue("fraud", "phishing"), "fraud:phishing");
  assert.equal(rsitValue(null, "phishing"), "");
  assert.equal(rsitValue("fraud", null), "");
  assert.deepEqual(rsitPair("fraud:phishing"), { classification: "fraud", type: "phishing" });
  assert.deepEqual(rsitPair(""), { classification: null, type: null });
  assert.deepEqual(rsitPair("fraud:"), { classification: null, type: null });
  assert.deepEqual(rsitPair(":phishing"), { classification: null, type: null });
});

test("the statistics become one CSV row per count, the total first, every table in order", () => {
  const stats = {
    from: "2017-10-01",
    to: "2018-08-01",
    member: null,
    total: 3,
    by_classification: [
      { classification: "fraud", count: 2, share: 66.7 },
      { classification: null, count: 1, share: 33.3 },
    ],
    by_type: [
      { classification: "fraud", type: "phishing", count: 2, share: 66.7 },
      { classification: null, type: null, count: 1, share: 33.3 },
    ],
    by_cause: [{ cause: "third_party", count: 3, share: 100 }],
    by_impact: [{ impact: null, count: 3, share: 100 }],
    by_member_kind: [{ member_kind: "gemeente", count: 3, share: 100 }],
  };
  const rows = statsRows(
    stats,
    (name) => `T:${name}`,
    (name, row) => `${name}/${row.count}`,
    "Totaal",
  );
  assert.deepEqual(rows[0], { table: "Totaal", code: "", name: "Totaal", count: 3, share: 100 });
  assert.deepEqual(
    rows.slice(1).map((row) => [row.table, row.code, row.count, row.share]),
    [
      ["T:by_classification", "fraud", 2, 66.7],
      ["T:by_classification", "", 1, 33.3],
      ["T:by_type", "fraud:phishing", 2, 66.7],
      ["T:by_type", "", 1, 33.3],
      ["T:by_cause", "third_party", 3, 100],
      ["T:by_impact", "", 3, 100],
      ["T:by_member_kind", "gemeente", 3, 100],
    ],
  );
  const csv = csvText(kStatsColumns, rows);
  assert.equal(csv.split("\r\n")[0], "\uFEFFtable;code;name;count;share");
  assert.equal(csv.split("\r\n")[4], "T:by_type;fraud:phishing;by_type/2;2;66.7");
});

test("no incidents: the total row says 0 and 0 %", () => {
  const empty = { total: 0, by_classification: [], by_type: [], by_cause: [], by_impact: [], by_member_kind: [] };
  assert.deepEqual(statsRows(empty, String, String, "Total"), [{ table: "Total", code: "", name: "Total", count: 0, share: 0 }]);
});
