// Work lists that scale, end to end: an analyst pages through 20,000 unrouted findings (the
// true total in Dutch figures, the right first and last rows, newest received first), filters
// change the total, page and filters live in the address (a reload keeps them, back goes back),
// a member sees only its own findings with their totals, and a finding's detail page shows its
// malware name, AS number and TLP. Debian's Chromium against a real `baken serve` on loopback.
//
// The findings are generated here as Shadowserver reports and read in with `baken ingest`:
//   5,000 sinkhole events (infected-system, qakbot and emotet by turns, AS64496) for 10.1.0.0…
//   15,000 RDP scan events (vulnerable-system, TLP:GREEN) for 10.2.0.0…; no member owns 10/8
//   120 RDP scan events for Amsterdam (GM0363, 192.0.2.0/24) and 30 for Groningen (GM0014)
// Members come from tests/data/advisories/members.json. Screenshots go to <artefacts>/lists/;
// how long the lists take to show is printed (and kept in lists/timings.json), not asserted.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { openPage, signIn } from "./pages.mjs";

const kMember = { email: "soc@amsterdam.example.nl", password: "lang genoeg wachtwoord 1" };
const kAnalyst = { email: "analist@cert.example.nl", password: "lang genoeg wachtwoord 2" };
const kWidths = [
  { name: "1440", width: 1440, height: 900 },
  { name: "360", width: 360, height: 740 },
];
const kSinkholes = 5000;
const kScans = 15000;
const kAmsterdam = 120;
const kGroningen = 30;
const screenshots = join(artifactsDir, "lists");
const timings = {};

let world;
let browser;
let analystToken;

// The n-th address of a /16 that no member owns.
function address(prefix, n) {
  return `${prefix}.${Math.floor(n / 256)}.${n % 256}`;
}

function writeReport(name, header, rows) {
  const path = join(world.dir, name);
  writeFileSync(path, [header, ...rows].join("\n") + "\n");
  return path;
}

function sinkholeReport() {
  const header =
    '"timestamp","protocol","src_ip","src_port","src_asn","src_geo","src_region","src_city","src_hostname","src_naics","src_sector","device_vendor","device_type","device_model","dst_ip","dst_port","dst_asn","dst_geo","dst_region","dst_city","dst_hostname","dst_naics","dst_sector","public_source","infection","family","tag","application","version","event_id"';
  const rows = [];
  for (let n = 0; n < kSinkholes; n++) {
    const malware = n % 2 === 0 ? "qakbot" : "emotet";
    rows.push(
      `"2026-11-20 08:00:00","tcp","${address("10.1", n)}",${40000 + (n % 1000)},64496,"NL",,,,,,,,,"198.18.0.1",80,,,,,,,,"sinkhole","${malware}","${malware}",,,,`,
    );
  }
  return writeReport("2026-11-20-event4_sinkhole-lists.csv", header, rows);
}

function rdpReport(name, addresses) {
  const rows = addresses.map((ip) => `"2026-11-21 09:00:00","${ip}","tcp",3389,,64500,"NL"`);
  return writeReport(name, '"timestamp","ip","protocol","port","hostname","asn","geo"', rows);
}

// GET of the API as the analyst, for what the tests compare the portal with.
async function analystApi(path) {
  const response = await fetch(`${world.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${analystToken}` } });
  return { status: response.status, body: await response.json().catch(() => null) };
}

before(async () => {
  rmSync(screenshots, { recursive: true, force: true });
  mkdirSync(screenshots, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/advisories/members.json")]);
  world.addUser(kMember.email, "member", "GM0363", kMember.password);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  // Received in this order: the sinkhole events first, so the newest is the last scan.
  world.baken(["ingest", sinkholeReport()]);
  const scans = Array.from({ length: kScans }, (_, n) => address("10.2", n));
  world.baken(["ingest", "--tlp", "GREEN", rdpReport("2026-11-21-scan_rdp-lists.csv", scans)]);
  const members = [
    ...Array.from({ length: kAmsterdam }, (_, n) => `192.0.2.${n + 1}`),
    ...Array.from({ length: kGroningen }, (_, n) => `203.0.113.${n + 1}`),
  ];
  world.baken(["ingest", rdpReport("2026-11-22-scan_rdp-members.csv", members)]);
  analystToken = JSON.parse(world.baken(["--json", "token", "create", "--email", kAnalyst.email])).token;
  await world.serve();
  browser = await launchBrowser();
});

after(async () => {
  writeFileSync(join(screenshots, "timings.json"), JSON.stringify(timings, null, 2) + "\n");
  const reports = await stopAll();
  assert.deepEqual(reports, [], "a sanitizer reported a problem in a process the tests ran");
});

// axe-core (WCAG 2.1 A and AA plus best practice) at both widths, no sideways scrolling of the
// page nor of a table inside its box at 360 px, and a screenshot of each width.
async function checkList(page, name) {
  for (const size of kWidths) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.getByRole("main").waitFor();
    await page.waitForFunction(() => !document.querySelector(".baken-loading, [aria-busy='true']"));
    const where = `${name} at ${size.name} px`;
    const result = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
      .analyze();
    const violations = result.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
    assert.deepEqual(violations, [], `${where} has accessibility violations`);
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      window: window.innerWidth,
      boxes: [...document.querySelectorAll(".baken-table__box")].filter((box) => box.scrollWidth > box.clientWidth + 1)
        .length,
    }));
    assert.ok(widths.page <= widths.window, `${where} scrolls sideways: ${widths.page} > ${widths.window}`);
    if (size.width === 360) assert.equal(widths.boxes, 0, `${where}: a table scrolls sideways inside its box`);
    await page.screenshot({ path: join(screenshots, `${name}-${size.name}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  assert.deepEqual(page.problems, [], `${name}: errors in the page`);
}

// Runs `body` with a fresh page; on failure keeps a screenshot of where it stopped, beside this
// file's others (portal.test.mjs clears the top of the artefacts directory).
async function withPage(name, body) {
  const page = await openPage(browser);
  try {
    await body(page);
  } catch (error) {
    await page.screenshot({ path: join(screenshots, `FAILED-${name}.png`), fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await page.context().close();
  }
}

const range = (page) => page.locator(".baken-pager__range");
const rows = (page) => page.locator("main table tbody tr");

// Waits until the list shows `text` as its range and no page is on its way.
async function showsRange(page, text) {
  await page.locator(".baken-pager__range", { hasText: text }).waitFor();
  await page.waitForFunction(() => !document.querySelector("[aria-busy='true']"));
  assert.equal((await range(page).textContent()).trim(), text);
}

async function firstAndLastAddress(page) {
  const cells = await page.locator("main table tbody tr td:nth-child(3)").allTextContents();
  return [cells[0].trim(), cells[cells.length - 1].trim()];
}

// Milliseconds from `start` until the unrouted list's first page is on screen, and how long of
// that the API took for the page (the browser's own record of the request).
async function timeUntilListShown(page, start) {
  await page.evaluate(() => performance.clearResourceTimings());
  const begin = Date.now();
  await start();
  await page.getByRole("heading", { level: 2, name: "20.000 bevindingen" }).waitFor();
  await rows(page).first().waitFor();
  const shown = Date.now() - begin;
  const api = await page.evaluate(() =>
    Math.round(
      Math.max(0, ...performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/v1/events?")).map((e) => e.duration)),
    ),
  );
  return { shown, api };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe("work lists", () => {
  test("an analyst pages through 20,000 unrouted findings with the true total", () =>
    withPage("lists-unrouted-paging", async (page) => {
      await signIn(page, world.url, kAnalyst);
      // Within the portal (the menu), then as a full load of the address.
      const inApp = [];
      const reload = [];
      for (let run = 0; run < 3; run++) {
        await page.getByRole("navigation").getByRole("link", { name: "Leden" }).click();
        await page.getByRole("heading", { level: 1, name: "Leden" }).waitFor();
        inApp.push(
          await timeUntilListShown(page, () =>
            page.getByRole("navigation").getByRole("link", { name: "Niet toegewezen" }).click(),
          ),
        );
        reload.push(await timeUntilListShown(page, () => page.reload()));
      }
      const summary = (runs) => ({
        shown: runs.map((run) => run.shown),
        api: runs.map((run) => run.api),
        median: median(runs.map((run) => run.shown)),
      });
      timings.unroutedFirstPageInApp = summary(inApp);
      timings.unroutedFullReload = summary(reload);
      timings.loadAverage = loadavg().map((load) => Number(load.toFixed(1)));
      for (const [what, runs] of [["first page via the menu", inApp], ["full reload", reload]]) {
        const text = runs.map((run) => `${run.shown} (API ${run.api})`).join(", ");
        console.log(`# unrouted list of 20,000, ${what}: ${text} ms; load average ${timings.loadAverage.join(" ")}`);
      }

      await page.getByRole("heading", { level: 1, name: "Niet toegewezen bevindingen" }).waitFor();
      await showsRange(page, "1–50 van 20.000");
      assert.equal(await rows(page).count(), 50);
      // Newest received first: the last scan, then the ones before it.
      assert.deepEqual(await firstAndLastAddress(page), [address("10.2", kScans - 1), address("10.2", kScans - 50)]);
      const newest = (await analystApi("/events?unrouted=true&newest=true&limit=1")).body;
      assert.equal(newest.total, 20000);
      assert.equal(newest.events[0]["source.ip"], address("10.2", kScans - 1));
      await page.getByRole("navigation", { name: /Pagina's van de lijst/ }).getByText("Pagina 1 van 400").waitFor();
      await checkList(page, "unrouted");

      // The last page: the first sinkhole event received is the oldest.
      await page.getByRole("link", { name: "Laatste pagina" }).click();
      await showsRange(page, "19.951–20.000 van 20.000");
      assert.match(page.url(), /[?&]page=400(&|$)/);
      assert.deepEqual(await firstAndLastAddress(page), [address("10.1", 49), address("10.1", 0)]);
      // The focus moved to the list's count, where a new page starts.
      await page.waitForFunction(() => document.activeElement?.id === "events-results");
      // A reload keeps the page.
      const lastPageReload = Date.now();
      await page.reload();
      await showsRange(page, "19.951–20.000 van 20.000");
      timings.unroutedLastPageReload = Date.now() - lastPageReload;
      assert.deepEqual(await firstAndLastAddress(page), [address("10.1", 49), address("10.1", 0)]);
      // Back goes back to the first page.
      await page.goBack();
      await showsRange(page, "1–50 van 20.000");

      // Next and previous by keyboard.
      await page.getByRole("link", { name: "Volgende pagina" }).focus();
      await page.keyboard.press("Enter");
      await showsRange(page, "51–100 van 20.000");
      assert.deepEqual(await firstAndLastAddress(page), [address("10.2", kScans - 51), address("10.2", kScans - 100)]);
      await page.getByRole("link", { name: "Vorige pagina" }).click();
      await showsRange(page, "1–50 van 20.000");

      // 100 a page.
      await page.getByLabel("Per pagina").selectOption("100");
      await showsRange(page, "1–100 van 20.000");
      assert.equal(await rows(page).count(), 100);
      assert.match(page.url(), /[?&]size=100(&|$)/);

      // Oldest first, by the column that says so.
      const received = page.getByRole("columnheader", { name: /Ontvangen/ });
      assert.equal(await received.getAttribute("aria-sort"), "descending");
      await received.getByRole("button").click();
      await showsRange(page, "1–100 van 20.000");
      await page.waitForFunction(() => document.querySelector("main table tbody tr td:nth-child(3)")?.textContent?.trim() === "10.1.0.0");
      assert.equal(await received.getAttribute("aria-sort"), "ascending");
      assert.match(page.url(), /[?&]sort=received(&|$)/);
    }));

  test("filters change the total, and the address keeps them", () =>
    withPage("lists-filters", async (page) => {
      await signIn(page, world.url, kAnalyst);
      await page.goto(`${world.url}/unrouted`);
      await showsRange(page, "1–50 van 20.000");

      await page.getByLabel("Type", { exact: true }).selectOption({ label: "besmet systeem" });
      await page.getByRole("button", { name: "Filteren" }).click();
      await page.getByRole("heading", { level: 2, name: "5.000 bevindingen voldoen aan het filter" }).waitFor();
      await showsRange(page, "1–50 van 5.000");
      assert.match(page.url(), /[?&]type=infected-system(&|$)/);

      await page.getByLabel("Zoeken").fill("qakbot");
      await page.getByRole("button", { name: "Filteren" }).click();
      await page.getByRole("heading", { level: 2, name: "2.500 bevindingen voldoen aan het filter" }).waitFor();
      const malware = await page.locator("main table tbody tr td:nth-child(6)").allTextContents();
      assert.ok(malware.every((name) => name.trim() === "qakbot"), malware.join("|"));
      await checkList(page, "unrouted-filtered");

      // Page 3 of the filtered list, reloaded: the same page, the same filters in the form.
      await page.getByRole("link", { name: "Volgende pagina" }).click();
      await page.getByRole("link", { name: "Volgende pagina" }).click();
      await showsRange(page, "101–150 van 2.500");
      await page.reload();
      await showsRange(page, "101–150 van 2.500");
      assert.equal(await page.getByLabel("Type", { exact: true }).inputValue(), "infected-system");
      assert.equal(await page.getByLabel("Zoeken").inputValue(), "qakbot");

      // TLP and feed.
      await page.getByRole("button", { name: "Filters wissen" }).click();
      await showsRange(page, "1–50 van 20.000");
      await page.getByLabel("TLP", { exact: true }).selectOption("GREEN");
      await page.getByRole("button", { name: "Filteren" }).click();
      await showsRange(page, "1–50 van 15.000");
      await page.getByLabel("TLP", { exact: true }).selectOption("");
      await page.getByLabel("Feed", { exact: true }).fill("Sinkhole-Events IPv4");
      await page.getByRole("button", { name: "Filteren" }).click();
      await showsRange(page, "1–50 van 5.000");
      // Back: the TLP filter again, in the list and in the form.
      await page.goBack();
      await showsRange(page, "1–50 van 15.000");
      assert.equal(await page.getByLabel("TLP", { exact: true }).inputValue(), "GREEN");
      assert.equal(await page.getByLabel("Feed", { exact: true }).inputValue(), "");

      // A period: all were received today; an end before the start is named at the field.
      const today = new Date().toISOString().slice(0, 10);
      const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
      await page.getByRole("button", { name: "Filters wissen" }).click();
      await showsRange(page, "1–50 van 20.000");
      await page.getByLabel("Ontvangen vanaf").fill(today);
      await page.getByLabel("Ontvangen tot en met").fill(today);
      await page.getByRole("button", { name: "Filteren" }).click();
      await page.getByRole("heading", { level: 2, name: "20.000 bevindingen voldoen aan het filter" }).waitFor();
      await page.getByLabel("Ontvangen vanaf").fill(tomorrow);
      await page.getByRole("button", { name: "Filteren" }).click();
      await page.getByText("De einddatum ligt vóór de begindatum.").waitFor();
      await page.getByLabel("Ontvangen tot en met").fill("");
      await page.getByRole("button", { name: "Filteren" }).click();
      await page.getByRole("heading", { level: 2, name: "0 bevindingen voldoen aan het filter" }).waitFor();
      await page.getByText("Geen bevindingen voldoen aan het filter.").waitFor();

      // A date the server cannot read (a hand-made link) is refused in words, not in English.
      await page.goto(`${world.url}/unrouted?since=gisteren`);
      await page.getByRole("alert").waitFor();
      assert.doesNotMatch(await page.getByRole("alert").textContent(), /is not a date/);
      page.problems.splice(0); // the browser logs the 400 it was meant to get

      // The member filter leads to that member's list, with the filters kept.
      await page.goto(`${world.url}/unrouted?tlp=AMBER`);
      await showsRange(page, "1–50 van 5.000");
      await page.getByLabel("Lid", { exact: true }).selectOption({ label: "Gemeente Amsterdam (GM0363)" });
      await page.getByRole("button", { name: "Filteren" }).click();
      await page.getByRole("heading", { level: 1, name: "Bevindingen voor Gemeente Amsterdam" }).waitFor();
      await showsRange(page, "1–50 van 120");
      assert.equal(new URL(page.url()).pathname, "/members/GM0363/events");
      assert.equal(new URL(page.url()).searchParams.get("tlp"), "AMBER");

      // The export takes what the filter selects, all pages of it.
      await page.goto(`${world.url}/unrouted?type=infected-system&q=emotet`);
      await showsRange(page, "1–50 van 2.500");
      const download = page.waitForEvent("download", { timeout: 60_000 });
      await page.getByRole("button", { name: "Exporteren als CSV" }).click();
      const file = join(world.dir, "unrouted.csv");
      await (await download).saveAs(file);
      const lines = readFileSync(file, "utf8").replace(/^\uFEFF/, "").trim().split("\r\n");
      assert.equal(lines.length, 1 + 2500);
      const header = lines[0].split(";");
      const ips = new Set(lines.slice(1).map((line) => line.split(";")[header.indexOf("source.ip")]));
      assert.equal(ips.size, 2500);
      await page.getByText("2.500 bevindingen zijn geëxporteerd naar baken-unrouted.csv.").waitFor();
      // Beyond the cap it says so.
      await page.goto(`${world.url}/unrouted`);
      await showsRange(page, "1–50 van 20.000");
      const capped = page.waitForEvent("download", { timeout: 120_000 });
      await page.getByRole("button", { name: "Exporteren als CSV" }).click();
      await capped;
      await page.getByText("Alleen de eerste 10.000 van 20.000 bevindingen zijn geëxporteerd").waitFor();
    }));

  test("a member sees only its own findings, with their totals", () =>
    withPage("lists-member", async (page) => {
      await signIn(page, world.url, kMember);
      // The overview counts this week's findings by the server's total, by type.
      await page.getByRole("heading", { level: 2, name: "Bevindingen deze week" }).waitFor();
      const week = page.getByRole("region", { name: "Bevindingen deze week" });
      await week.getByText(/^120 bevindingen ontvangen sinds /).waitFor();
      await week.getByRole("link", { name: "kwetsbaar systeem" }).waitFor();

      const begin = Date.now();
      await page.getByRole("navigation").getByRole("link", { name: "Bevindingen" }).click();
      await showsRange(page, "1–50 van 120");
      timings.memberFirstPageInApp = Date.now() - begin;
      await page.getByRole("heading", { level: 2, name: "120 bevindingen" }).waitFor();
      // Newest first: the last address of the report.
      assert.deepEqual(await firstAndLastAddress(page), ["192.0.2.120", "192.0.2.71"]);
      // No member filter for a member.
      assert.equal(await page.getByLabel("Lid", { exact: true }).count(), 0);
      await checkList(page, "member-events");

      await page.getByRole("link", { name: "Laatste pagina" }).click();
      await showsRange(page, "101–120 van 120");
      const all = [];
      for (const pageNumber of [1, 2, 3]) {
        await page.goto(`${world.url}/members/GM0363/events?page=${pageNumber}`);
        await page.locator(".baken-pager__range").waitFor();
        await page.waitForFunction(() => !document.querySelector("[aria-busy='true']"));
        all.push(...(await page.locator("main table tbody tr td:nth-child(3)").allTextContents()).map((s) => s.trim()));
      }
      assert.equal(all.length, kAmsterdam);
      assert.ok(all.every((ip) => ip.startsWith("192.0.2.")), all.join(","));
      // Another member's list does not exist for this member; its events are not reachable.
      await page.goto(`${world.url}/members/GM0014/events`);
      await page.getByRole("heading", { level: 1, name: "Niet gevonden" }).waitFor();
      const other = await page.evaluate(async () => {
        const reply = await (await fetch("/api/v1/events?member=GM0014&limit=1")).json();
        return reply.total;
      });
      assert.equal(other, 0);
    }));

  test("a finding's page shows its malware name, AS number and TLP", async (t) => {
    // The detail route is new: a server without it says so by a 404 for an event it lists.
    const listed = (await analystApi("/events?unrouted=true&q=10.1.0.77&limit=1")).body.events[0];
    const probe = await analystApi(`/events/${listed["baken.id"]}`);
    if (probe.status === 404) {
      t.skip(`this baken (${process.env.BAKEN ?? "build/release/baken"}) has no GET /api/v1/events/{id} yet`);
      return;
    }
    assert.equal(probe.status, 200);
    await withPage("lists-detail", async (page) => {
      await signIn(page, world.url, kAnalyst);
      await page.goto(`${world.url}/unrouted?q=10.1.0.77`);
      await page.getByRole("heading", { level: 2, name: "1 bevinding voldoet aan het filter" }).waitFor();
      await page.getByRole("link", { name: "10.1.0.77", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Besmet systeem: 10.1.0.77" }).waitFor();
      const summary = page.getByRole("region", { name: "Samenvatting" });
      const value = (key) =>
        summary.locator(".utrecht-data-list__item").filter({ has: page.getByText(key, { exact: true }) }).locator("dd");
      assert.equal((await value("Malware of infectie").textContent()).trim(), "emotet");
      assert.equal((await value("AS-nummer").textContent()).trim(), "AS64496");
      assert.equal((await value("TLP").textContent()).trim(), "TLP:AMBER");
      assert.equal((await value("Lid").textContent()).trim(), "geen lid (niet toegewezen)");
      await page.getByRole("heading", { level: 3, name: "Het systeem waarover de bevinding gaat" }).waitFor();
      await page.getByText("malware.name", { exact: true }).waitFor();
      await checkList(page, "event-detail");
      const reload = Date.now();
      await page.reload();
      await page.getByRole("heading", { level: 1, name: "Besmet systeem: 10.1.0.77" }).waitFor();
      timings.detailFullReload = Date.now() - reload;
      // Back to the list it came from.
      await page.getByRole("link", { name: "Terug naar de lijst" }).click();
      await page.getByRole("heading", { level: 1, name: "Niet toegewezen bevindingen" }).waitFor();
    });
    await withPage("lists-detail-member", async (page) => {
      await signIn(page, world.url, kMember);
      await page.getByRole("navigation").getByRole("link", { name: "Bevindingen" }).click();
      await page.getByRole("link", { name: "192.0.2.120", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Kwetsbaar systeem: 192.0.2.120" }).waitFor();
      await page.getByText("Gemeente Amsterdam (GM0363)").waitFor();
      await checkList(page, "member-event-detail");
      // Another member's finding, or one no member owns, is not found.
      const groningen = (await analystApi("/events?member=GM0014&limit=1")).body.events[0]["baken.id"];
      await page.goto(`${world.url}/events/${groningen}`);
      await page.getByRole("heading", { level: 1, name: "Niet gevonden" }).waitFor();
      await page.goto(`${world.url}/events/${listed["baken.id"]}`);
      await page.getByRole("heading", { level: 1, name: "Niet gevonden" }).waitFor();
    });
  });
});
