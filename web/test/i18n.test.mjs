// The translation tables hold every word in Dutch and in English: the portal's own words
// (src/messages.ts), the server's problems (i18n/problems.json), the Shadowserver report names
// (i18n/feeds.json, one for every report type of the schema the program compiles in) and the
// labels for risk levels and remediation categories (i18n/labels.json) and the incidents' codes
// (i18n/incidents.json).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const read = (path) => readFileSync(new URL(path, import.meta.url), "utf8");
const json = (path) => JSON.parse(read(path));

// messages.ts is TypeScript, which node does not run; its two tables are flat lines of
// `"key": "text",`, read here as text. A line in a table that is not such a line fails the test,
// so the reading cannot silently skip keys.
function messageTables() {
  const source = read("../src/messages.ts");
  const tables = {};
  for (const language of ["nl", "en"]) {
    const start = source.search(new RegExp(`^const ${language}\\b.*= \\{$`, "m"));
    assert.ok(start >= 0, `messages.ts has no table for ${language}`);
    const body = source.slice(source.indexOf("\n", start) + 1, source.indexOf("\n};", start));
    const entries = new Map();
    // A long entry is wrapped: the key on one line, its text on the next.
    const lines = body.split("\n").reduce((joined, line) => {
      if (joined.length > 0 && /^ {2}"[^"]+":$/.test(joined.at(-1))) joined[joined.length - 1] += ` ${line.trim()}`;
      else joined.push(line);
      return joined;
    }, []);
    for (const line of lines) {
      if (line.trim() === "" || line.trim().startsWith("//")) continue;
      const match = /^ {2}"([^"]+)":\s*(".*"|`.*`),$/.exec(line);
      assert.ok(match, `messages.ts (${language}): cannot read the line ${JSON.stringify(line)}`);
      assert.ok(!entries.has(match[1]), `messages.ts (${language}): "${match[1]}" twice`);
      entries.set(match[1], JSON.parse(match[2].startsWith("`") ? JSON.stringify(match[2].slice(1, -1)) : match[2]));
    }
    tables[language] = entries;
  }
  return tables;
}

test("every key of messages.ts has a Dutch and an English text asking for the same values", () => {
  const { nl, en } = messageTables();
  assert.ok(nl.size > 300);
  assert.deepEqual([...en.keys()].sort(), [...nl.keys()].sort());
  const names = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const [key, dutch] of nl) {
    assert.notEqual(dutch.trim(), "", `${key} has no Dutch text`);
    assert.notEqual(en.get(key).trim(), "", `${key} has no English text`);
    assert.deepEqual(names(en.get(key)), names(dutch), `${key} asks for other values in English`);
  }
});

for (const file of ["problems.json", "feeds.json", "labels.json", "incidents.json"]) {
  test(`every entry of i18n/${file} has Dutch and English`, () => {
    for (const [key, entry] of Object.entries(json(`../../i18n/${file}`))) {
      for (const language of ["nl", "en"]) {
        assert.equal(typeof entry[language], "string", `${file}: ${key} has no ${language}`);
        assert.notEqual(entry[language].trim(), "", `${file}: ${key} has an empty ${language}`);
      }
    }
  });
}

test("every Shadowserver report type has a name in i18n/feeds.json", () => {
  const schema = json("../../data/shadowserver/intelmq.json");
  const names = json("../../i18n/feeds.json");
  const reports = Object.entries(schema).filter(([key]) => key !== "_meta");
  assert.ok(reports.length > 100);
  for (const [key, spec] of reports) assert.ok(names[spec.feed_name], `${key} (${spec.feed_name}) has no name`);
});

test("the portal's words and the server's problems never share a key", () => {
  const { nl } = messageTables();
  for (const key of Object.keys(json("../../i18n/problems.json"))) assert.ok(!nl.has(key), key);
  for (const key of Object.keys(json("../../i18n/labels.json"))) assert.ok(!nl.has(key), key);
});
