// A server-side list's state in the address (web/src/listState.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { dayAfter, listSearch, pageAfterResize, pageCount, pageRows, readListState } from "../src/listState.js";

const kOptions = {
  filters: ["type", "q"],
  sortKeys: ["received"],
  defaultSort: { key: "received", direction: "descending" },
};

test("a plain address is the first page, newest first, 50 a page", () => {
  assert.deepEqual(readListState(new URLSearchParams(""), kOptions), {
    page: 1,
    size: 50,
    sort: { key: "received", direction: "descending" },
    filters: {},
  });
  assert.equal(listSearch(readListState(new URLSearchParams(""), kOptions), kOptions).toString(), "");
});

test("page, size, sort and filters go to the address and come back the same", () => {
  const state = {
    page: 7,
    size: 100,
    sort: { key: "received", direction: "ascending" },
    filters: { type: "infected-system", q: "10.0.0.1 qakbot" },
  };
  const search = listSearch(state, kOptions);
  assert.equal(search.toString(), "type=infected-system&q=10.0.0.1+qakbot&sort=received&size=100&page=7");
  assert.deepEqual(readListState(new URLSearchParams(search.toString()), kOptions), state);
});

test("what an address holds that the list does not know falls back to the default", () => {
  const state = readListState(new URLSearchParams("page=-3&size=7&sort=-colour&other=1&type=%20"), kOptions);
  assert.deepEqual(state, {
    page: 1,
    size: 50,
    sort: { key: "received", direction: "descending" },
    filters: {},
  });
  assert.equal(readListState(new URLSearchParams("page=2.5"), kOptions).page, 1);
});

test("pages are counted from 1 and the last one may be short", () => {
  assert.equal(pageCount(0, 50), 1);
  assert.equal(pageCount(20000, 50), 400);
  assert.equal(pageCount(20001, 50), 401);
  assert.deepEqual(pageRows(1, 50, 20000), { first: 1, last: 50 });
  assert.deepEqual(pageRows(400, 50, 20000), { first: 19951, last: 20000 });
  assert.deepEqual(pageRows(3, 25, 60), { first: 51, last: 60 });
  assert.deepEqual(pageRows(1, 50, 0), { first: 0, last: 0 });
});

test("a new page size keeps the first row of the page in view", () => {
  assert.equal(pageAfterResize(3, 50, 100), 2); // rows 101–150 → 101–200
  assert.equal(pageAfterResize(2, 100, 25), 5); // rows 101–200 → 101–125
  assert.equal(pageAfterResize(1, 25, 100), 1);
});

test("up to and including a day is before the next day", () => {
  assert.equal(dayAfter("2026-11-22"), "2026-11-23");
  assert.equal(dayAfter("2026-12-31"), "2027-01-01");
  assert.equal(dayAfter("2028-02-28"), "2028-02-29");
  assert.equal(dayAfter("yesterday"), "yesterday");
});
