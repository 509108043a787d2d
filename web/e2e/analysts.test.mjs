// The unrouted workflow and the overview dashboard, end to end: an analyst groups the unrouted
// findings by network and by AS number and assigns a network to a member (with a confirmation
// that names the consequence), after which Baken routes that network to the member; a member's
// overview shows what is new since the previous sign-in, open warnings by risk and findings
// per week as a chart with its table; the analysts' overview chooses a member. Debian's
// Chromium against a real `baken serve` on loopback; axe at 1440 and 360 px, no sideways
// scroll, row actions on screen at 360 px (e2e/pages.mjs).
// Members come from tests/data/advisories/members.json: GM0363 Amsterdam (192.0.2.0/24),
// GM0599 Rotterdam (198.51.100.0/24). No member owns 10/8 nor AS64496/64497.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { apiInPage, checkPage, signIn, withPage } from "./pages.mjs";

const kMember = { email: "soc@amsterdam.example.nl", password: "lang genoeg wachtwoord 1" };
const kAnalyst = { email: "analist@cert.example.nl", password: "lang genoeg wachtwoord 2" };
const screenshots = join(artifactsDir, "analysts");

let world;
let browser;

function report(name, rows) {
  const path = join(world.dir, name);
  writeFileSync(path, ["timestamp,ip,port,asn", ...rows.map(([ip, asn]) => `2026-11-21 01:00:00,${ip},23,${asn}`)].join("\n") + "\n");
  return path;
}

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/advisories/members.json")]);
  world.addUser(kMember.email, "member", "GM0363", kMember.password);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  world.baken(["advisory", "import", join(sourceDir, "tests/data/advisories/csaf/bsi-2022-0001.json")]);
  world.baken([
    "ingest",
    report("2026-11-21-scan_telnet-nl.csv", [
      ["10.9.9.1", 64496],
      ["10.9.9.2", 64496],
      ["10.9.9.3", 64497],
      ["10.8.1.1", 64496],
      ["192.0.2.20", 64500],
      ["192.0.2.21", 64500],
    ]),
  ]);
  await world.startSmtp();
  world.baken(["notify", "--smtp", world.smtpUrl, "--retry-seconds", "0"]);
  await world.serve();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopAll();
});

describe("analysts and the overview", () => {
  test("an analyst assigns an unrouted network to a member from its group", () =>
    withPage(
      browser,
      "analysts-assign",
      async (page) => {
        await signIn(page, `${world.url}`, kAnalyst);
        await page.getByRole("navigation").getByRole("link", { name: "Toewijzen" }).click();
        await page.getByRole("heading", { level: 1, name: "Niet toegewezen: per netwerk of AS-nummer" }).waitFor();
        // Two networks; the true totals in words.
        await page.getByText("2 groepen met samen 4 niet-toegewezen bevindingen.").waitFor();
        const first = page.locator("main table tbody tr").first();
        assert.match(await first.innerText(), /10\.9\.9\.0\/24[\s\S]*3/);
        await page.getByText("Alleen nieuwe bevindingen gaan naar het lid.", { exact: false }).waitFor();
        await checkPage(page, "unrouted-groups", { rowActions: true, folder: screenshots });

        // By AS number: AS64496 holds three.
        await page.getByLabel("Groeperen op").selectOption("asn");
        await page.getByRole("cell", { name: "AS64496", exact: true }).waitFor();
        assert.match(page.url(), /by=asn/);
        await checkPage(page, "unrouted-groups-asn", { rowActions: true, folder: screenshots });
        await page.getByLabel("Groeperen op").selectOption("prefix");
        await page.getByRole("cell", { name: "10.9.9.0/24", exact: true }).waitFor();

        // Assigning asks first, naming the consequence; cancelling changes nothing.
        await page.getByRole("button", { name: "10.9.9.0/24 toewijzen" }).click();
        await page.getByRole("button", { name: "Toewijzen", exact: true }).click();
        await page.getByText("Kies het lid dat de bevindingen krijgt.").waitFor();
        await page.getByLabel("Lid", { exact: true }).selectOption("GM0599");
        await checkPage(page, "unrouted-assign-form", { rowActions: true, folder: screenshots });
        await page.getByRole("button", { name: "Toewijzen", exact: true }).click();
        const dialog = page.getByRole("alertdialog");
        await dialog.getByText("Bevindingen uit 10.9.9.0/24 gaan voortaan naar Gemeente Rotterdam (GM0599).", { exact: false }).waitFor();
        await dialog.getByText("Bevindingen die al zijn opgeslagen blijven niet toegewezen.", { exact: false }).waitFor();
        await page.screenshot({ path: join(screenshots, "unrouted-assign-confirm-1440.png") });
        await dialog.getByRole("button", { name: "Annuleren" }).click();
        assert.equal((await apiInPage(page, "/lookup?value=10.9.9.7")).body.member, null);

        await page.getByRole("button", { name: "Toewijzen", exact: true }).click();
        await page.getByRole("alertdialog").getByRole("button", { name: "Toewijzen" }).click();
        await page.getByText("10.9.9.0/24 is toegewezen aan Gemeente Rotterdam (GM0599).", { exact: false }).waitFor();
        // Routed from now on, approved, and the stored findings still listed as unrouted.
        assert.equal((await apiInPage(page, "/lookup?value=10.9.9.7")).body.member, "GM0599");
        const claims = (await apiInPage(page, "/members/GM0599")).body.netblocks;
        assert.ok(claims.some((c) => c.netblock === "10.9.9.0/24" && c.state === "approved"), JSON.stringify(claims));
        const groups = (await apiInPage(page, "/events/unrouted/groups?by=prefix")).body;
        assert.equal(groups.events, 4);
        assert.deepEqual(groups.groups[0].overlaps, [{ member: "GM0599", value: "10.9.9.0/24" }]);
        await page.getByRole("cell", { name: /10\.9\.9\.0\/24 \(Gemeente Rotterdam \(GM0599\)\)/ }).waitFor();
        await checkPage(page, "unrouted-assigned", { rowActions: true, folder: screenshots });
      },
      screenshots,
    ));

  test("a member's overview is a dashboard with what is new since the last visit", () =>
    withPage(
      browser,
      "analysts-dashboard",
      async (page) => {
        // The first visit has no previous one.
        await signIn(page, world.url, kMember);
        await page.getByRole("heading", { level: 1, name: "Gemeente Amsterdam" }).waitFor();
        await page.getByText("Dit is uw eerste bezoek", { exact: false }).waitFor();
        await page.getByRole("button", { name: "Uitloggen" }).click();
        await page.getByLabel("E-mailadres").waitFor();
        // A new finding for Amsterdam after that visit.
        world.baken(["ingest", report("2026-11-22-scan_telnet-nl.csv", [["192.0.2.30", 64500]])]);

        await signIn(page, world.url, kMember);
        const since = page.getByRole("region", { name: "Nieuw sinds uw vorige bezoek" });
        await since.getByText("Sinds uw vorige bezoek op", { exact: false }).waitFor();
        assert.match(await since.innerText(), /Nieuwe bevindingen\s*1\b/);
        const risks = page.getByRole("region", { name: "Openstaande waarschuwingen naar risico" });
        await risks.waitFor();
        const perWeek = page.getByRole("region", { name: "Bevindingen per week" });
        await perWeek.locator(".baken-chart canvas").first().waitFor();
        const rows = perWeek.locator("table tbody tr");
        assert.equal(await rows.count(), 12);
        // This week's row: the three findings of Amsterdam, none of anyone else's.
        assert.match(await rows.last().innerText(), /\b3\b/);
        await checkPage(page, "member-dashboard", { folder: screenshots });
        // The chart follows the width: at 360 px it is no wider than its column.
        await page.setViewportSize({ width: 360, height: 740 });
        await page.waitForFunction(() => {
          const canvas = document.querySelector(".baken-chart canvas");
          return canvas && canvas.getBoundingClientRect().right <= window.innerWidth;
        });
      },
      screenshots,
    ));

  test("the analysts' overview shows every member or the one chosen", () =>
    withPage(
      browser,
      "analysts-overview",
      async (page) => {
        await signIn(page, world.url, kAnalyst);
        await page.getByRole("navigation").getByRole("link", { name: "Overzicht" }).click();
        await page.getByRole("heading", { level: 1, name: "Overzicht" }).waitFor();
        const perWeek = page.getByRole("region", { name: "Bevindingen per week" });
        await perWeek.locator(".baken-chart canvas").first().waitFor();
        assert.match(await perWeek.locator("table tbody tr").last().innerText(), /\b7\b/);
        await checkPage(page, "staff-overview", { folder: screenshots });
        await page.getByLabel("Van").selectOption("GM0363");
        await page.waitForURL(/member=GM0363/);
        await perWeek.locator(".baken-chart canvas").first().waitFor();
        await perWeek.locator("table tbody tr").last().getByText("3", { exact: true }).waitFor();
        await checkPage(page, "staff-overview-member", { folder: screenshots });
      },
      screenshots,
    ));
});
