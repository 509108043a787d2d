// The portal's CSV rule (web/src/csv.js), the same cases as src/common/csv_writer_test.cc.
import assert from "node:assert/strict";
import { test } from "node:test";
import { csvCell, csvText } from "../src/csv.js";

test("plain text stays as it is", () => {
  assert.equal(csvCell(""), "");
  assert.equal(csvCell(null), "");
  assert.equal(csvCell(undefined), "");
  assert.equal(csvCell("192.0.2.10"), "192.0.2.10");
  assert.equal(csvCell(3389), "3389");
  assert.equal(csvCell("Fryslân"), "Fryslân");
});

test("the separator of either dialect is quoted", () => {
  assert.equal(csvCell("a,b"), '"a,b"');
  assert.equal(csvCell("a;b"), '"a;b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell("two\nlines"), '"two\nlines"');
});

test("formula starts are defused", () => {
  assert.equal(csvCell("=1+1"), "'=1+1");
  assert.equal(csvCell("+31 20 555"), "'+31 20 555");
  assert.equal(csvCell("-5"), "'-5");
  assert.equal(csvCell(-5), "'-5");
  assert.equal(csvCell("@SUM(A1)"), "'@SUM(A1)");
  assert.equal(csvCell("\tx"), "'\tx");
  assert.equal(csvCell("\rx"), "\"'\rx\"");
  assert.equal(csvCell('"=cmd"'), '"\'""=cmd"""');
  assert.equal(csvCell("  =cmd"), "'  =cmd");
  assert.equal(csvCell("a=b"), "a=b");
  assert.equal(csvCell("x-y"), "x-y");
});

test("formula starts after a separator inside a value are defused", () => {
  assert.equal(csvCell("a;=cmd"), "\"a;'=cmd\"");
  assert.equal(csvCell("a,=cmd"), "\"a,'=cmd\"");
  assert.equal(csvCell("a; -1"), "\"a;' -1\"");
  assert.equal(csvCell('a;"@x'), '"a;\'""@x"');
  assert.equal(csvCell("a\n+1"), "\"a\n'+1\"");
  assert.equal(csvCell("a\t=1"), "a\t'=1");
  assert.equal(csvCell("=a;=b,=c"), "\"'=a;'=b,'=c\"");
});

test("a file: header, semicolons, CRLF and a byte-order mark", () => {
  assert.equal(
    csvText(["source.ip", "tlp"], [{ "source.ip": "192.0.2.10", tlp: "AMBER" }, { "source.ip": "=1" }]),
    "\uFEFFsource.ip;tlp\r\n192.0.2.10;AMBER\r\n'=1;\r\n",
  );
});
