// The inventory editor's helpers (web/src/inventory.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { countCsvRecords, inventoryCsv, inventoryTemplate, withVersion } from "../src/inventory.js";

test("a CSV file's rows are counted without its header and empty lines", () => {
  assert.equal(countCsvRecords(""), 0);
  assert.equal(countCsvRecords("name,vendor,product\n"), 0);
  assert.equal(countCsvRecords("\uFEFFname;vendor;product\r\na;b;c\r\n\r\nd;e;f"), 2);
  assert.equal(countCsvRecords('name,vendor,product\n"two\nlines",b,c\n"x ""y""",b,c\n'), 2);
});

test("a changed version moves into the CPE name and the package URL", () => {
  const asset = {
    name: "Adviesconverter",
    vendor: "CSAF Tools",
    product: "CVRF-CSAF-Converter",
    version: "1.0.0-rc1",
    cpe: "cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-rc1:*:*:*:*:*:*:*",
    purl: "pkg:pypi/cvrf-csaf-converter@1.0.0-rc1?repository_url=x#src",
  };
  const changed = withVersion(asset, "1.0.0-rc2");
  assert.equal(changed.cpe, "cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-rc2:*:*:*:*:*:*:*");
  assert.equal(changed.purl, "pkg:pypi/cvrf-csaf-converter@1.0.0-rc2?repository_url=x#src");
  assert.equal(asset.cpe.includes("rc1"), true, "the asset itself is not changed");
  // Punctuation is escaped in the CPE and percent-encoded in the purl.
  const odd = withVersion(asset, "2.0+build:7");
  assert.equal(odd.cpe, "cpe:2.3:a:csaf-tools:cvrf-csaf-converter:2.0\\+build\\:7:*:*:*:*:*:*:*");
  assert.equal(odd.purl, "pkg:pypi/cvrf-csaf-converter@2.0%2Bbuild%3A7?repository_url=x#src");
});

test("a CPE or package URL naming another version, or none, is left alone", () => {
  const any = { name: "a", vendor: "b", product: "c", version: "9", cpe: "cpe:2.3:o:redhat:enterprise_linux:*:*:*:*:*:*:*:*", purl: null };
  assert.deepEqual(withVersion(any, "10"), any);
  const other = { name: "a", vendor: "b", product: "c", version: "5.29.5", purl: "pkg:pypi/protobuf@5.29" };
  assert.deepEqual(withVersion(other, "5.29.6"), other);
  const unversioned = { name: "a", vendor: "b", product: "c", version: "1", purl: "pkg:pypi/protobuf" };
  assert.deepEqual(withVersion(unversioned, "2"), unversioned);
  // An emptied version leaves the identifiers as they are.
  const cleared = { name: "a", vendor: "b", product: "c", version: "1", cpe: "cpe:2.3:a:b:c:1:*:*:*:*:*:*:*" };
  assert.deepEqual(withVersion(cleared, ""), cleared);
});

test("the inventory template has the Dutch header and values a Dutch spreadsheet uses", () => {
  const text = inventoryTemplate("nl");
  assert.ok(text.startsWith("\uFEFFNaam;Leverancier;Product;Versie;Belang;Aan internet;CPE;PURL\r\n"));
  const [, example] = text.replace(/^\uFEFF/, "").split("\r\n");
  assert.equal(example, "Thuiswerkportaal;Citrix;NetScaler Gateway;13.1-49.15;hoog;ja;cpe:2.3:a:citrix:netscaler_gateway:13.1-49.15:*:*:*:*:*:*:*;");
  assert.equal(countCsvRecords(text), 1);
  assert.ok(inventoryTemplate("en").startsWith("\uFEFFname;vendor;product;version;criticality;internet_facing;cpe;purl\r\n"));
});

test("an exported inventory says each value as the reader's language does, cells made safe", () => {
  const assets = [
    { name: "Zaaksysteem", vendor: "Acme", product: "Zaken", version: "2.0", criticality: "critical", internet_facing: false },
    { name: "=HYPERLINK()", vendor: "a;b", product: "c" },
  ];
  assert.equal(
    inventoryCsv(assets, "nl"),
    "\uFEFFNaam;Leverancier;Product;Versie;Belang;Aan internet;CPE;PURL\r\n" +
      "Zaaksysteem;Acme;Zaken;2.0;kritiek;nee;;\r\n" +
      "'=HYPERLINK();\"a;b\";c;;gemiddeld;nee;;\r\n",
  );
  assert.ok(inventoryCsv(assets, "en").includes("\r\nZaaksysteem;Acme;Zaken;2.0;critical;no;;\r\n"));
});
