// The portal's look on a desktop and on a phone: every page a member and an analyst can reach,
// at 1440 and 360 px wide, is clean under axe-core (WCAG 2.1 A and AA plus best practice),
// never scrolls sideways, and at 360 px shows every button in a table row on screen. A
// full-page screenshot of each page at both widths goes to <artefacts>/layout/.
//
// The organisation's identity (GET /api/v1/organisation) is answered by the browser here, as
// a configured server answers it, so that the screenshots show the header and footer as a
// member sees them; one test lets the test server (no organisation configured) answer, and
// checks the neutral look.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { checkPage, kWidths, settled, signIn as signInAt, withPage as withPageIn } from "./pages.mjs";

const kMember = { email: "soc@amsterdam.example.nl", password: "lang genoeg wachtwoord 1" };
const kAnalyst = { email: "analist@cert.example.nl", password: "lang genoeg wachtwoord 2" };
const kOrganisation = {
  name: "IBD",
  full_name: "Informatiebeveiligingsdienst voor gemeenten",
  phone: "+31 70 373 8000",
  email: "info@ibd.example.nl",
  logo: null,
};
const screenshots = join(artifactsDir, "layout");

let world;
let browser;
let warningId;
let messageId;

// A Shadowserver RDP report of an hour ago: findings for GM0363 and GM0014, one for nobody.
function rdpReport(name, addresses) {
  const hourAgo = new Date(Date.now() - 3600_000).toISOString().slice(0, 19).replace("T", " ");
  const lines = ['"timestamp","ip","protocol","port","hostname","asn","geo"'];
  for (const address of addresses) lines.push(`"${hourAgo}","${address}","tcp",3389,,64500,"NL"`);
  const path = join(world.dir, name);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

before(async () => {
  rmSync(screenshots, { recursive: true, force: true });
  mkdirSync(screenshots, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/advisories/members.json")]);
  world.addUser(kMember.email, "member", "GM0363", kMember.password);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  const csaf = join(sourceDir, "tests/data/advisories/csaf");
  world.baken(["advisory", "import", join(csaf, "2022-evd-uc-06-001.json"), join(csaf, "bsi-2022-0001.json")]);
  world.baken(["ingest", rdpReport("2026-11-22-scan_rdp-nl-geo.csv", ["192.0.2.10", "203.0.113.5", "10.1.2.3"])]);
  // A TLP:RED finding: its message is held for an analyst, who sees "Vrijgeven" in the outbox.
  world.baken(["ingest", "--tlp", "RED", rdpReport("2026-11-23-scan_rdp-nl-geo.csv", ["192.0.2.11"])]);
  await world.startSmtp();
  world.baken(["notify", "--smtp", world.smtpUrl, "--retry-seconds", "0"]);
  // The member's own API token (a row with "Intrekken" on the account page) and a claim
  // waiting for the analyst (a row with "Goedkeuren" and "Afwijzen").
  const memberToken = JSON.parse(world.baken(["--json", "token", "create", "--email", kMember.email])).token;
  const analystToken = JSON.parse(world.baken(["--json", "token", "create", "--email", kAnalyst.email])).token;
  await world.serve();
  const asMember = { Authorization: `Bearer ${memberToken}`, "Content-Type": "application/json" };
  const claim = await fetch(`${world.url}/api/v1/members/GM0363/netblocks`, {
    method: "PUT",
    headers: asMember,
    body: JSON.stringify(["192.0.2.0/24", "198.18.0.0/24"]),
  });
  assert.equal(claim.status, 200, await claim.text());
  const warnings = await fetch(`${world.url}/api/v1/warnings`, { headers: { Authorization: `Bearer ${analystToken}` } });
  warningId = (await warnings.json()).warnings.find((warning) => warning.member === "GM0363").id;
  const outbox = await fetch(`${world.url}/api/v1/outbox?state=held`, { headers: { Authorization: `Bearer ${analystToken}` } });
  messageId = (await outbox.json()).messages[0].id;
  browser = await launchBrowser();
});

after(async () => {
  const reports = await stopAll();
  assert.deepEqual(reports, [], "a sanitizer reported a problem in a process the tests ran");
});

// This file's server, browser and screenshot folder; the organisation's identity is answered
// by the browser unless `organisation` is null.
const signIn = (page, who) => signInAt(page, world.url, who);
const withPage = (name, body, organisation = kOrganisation) =>
  withPageIn(browser, name, body, screenshots, { organisation });
const checkLayout = (page, name, options = {}) => checkPage(page, name, { ...options, folder: screenshots });

describe("layout", () => {
  test("the sign-in page names the organisation, with its duty phone number", () =>
    withPage("sign-in", async (page) => {
      await page.goto(`${world.url}/`);
      await page.getByRole("heading", { level: 1, name: "Inloggen bij Baken" }).waitFor();
      await page.getByRole("banner").getByText("Informatiebeveiligingsdienst voor gemeenten").waitFor();
      const footer = page.getByRole("contentinfo");
      await footer.getByText("Informatiebeveiligingsdienst voor gemeenten (IBD)").waitFor();
      assert.equal(await footer.getByRole("link", { name: "+31 70 373 8000" }).getAttribute("href"), "tel:+31703738000");
      assert.equal(await footer.getByRole("link", { name: "info@ibd.example.nl" }).getAttribute("href"), "mailto:info@ibd.example.nl");
      // The page's heading has the focus, for screen readers, but no ring around it.
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), "H1");
      const outline = await page.locator("h1").evaluate((h1) => getComputedStyle(h1).outlineStyle);
      assert.equal(outline, "none");
      // The current language is marked, to the eye and to assistive technology.
      const dutch = page.getByRole("button", { name: "Nederlands" });
      const english = page.getByRole("button", { name: "English" });
      assert.equal(await dutch.getAttribute("aria-pressed"), "true");
      assert.equal(await english.getAttribute("aria-pressed"), "false");
      const look = (button) => button.evaluate((b) => `${getComputedStyle(b).backgroundColor} ${getComputedStyle(b).textDecorationLine}`);
      assert.notEqual(await look(dutch), await look(english));
      // The portal's own font is loaded, not whatever the computer has.
      assert.ok(await page.evaluate(() => document.fonts.check('16px "Noto Sans"')));
      assert.ok(
        await page.evaluate(() => [...document.fonts].some((font) => font.family.includes("Noto Sans") && font.status === "loaded")),
      );
      await checkLayout(page, "sign-in");
    }));

  test("without the organisation's answer the portal is plain Baken, with no error", () =>
    withPage(
      "sign-in-neutral",
      async (page) => {
        const answer = page.waitForResponse((r) => r.url().endsWith("/api/v1/organisation"));
        await page.goto(`${world.url}/`);
        // This server has the route but no organisation configured: it answers the neutral
        // identity (only the name "Baken"); an older server answers 404. Both end the same way.
        const response = await answer;
        assert.ok([200, 404].includes(response.status()), `GET /api/v1/organisation: ${response.status()}`);
        if (response.status() === 200) {
          assert.deepEqual(await response.json(), { name: "Baken", full_name: null, phone: null, email: null, logo: null });
        }
        await page.getByRole("heading", { level: 1, name: "Inloggen bij Baken" }).waitFor();
        await page.getByRole("banner").getByText("Baken", { exact: true }).waitFor();
        assert.equal(await page.getByRole("alert").count(), 0);
        assert.equal(await page.locator('a[href^="tel:"]').count(), 0);
        await checkLayout(page, "sign-in-neutral");
        // The favicon is there, for browsers that ask /favicon.ico without reading the page.
        const icon = await page.evaluate(async () => (await fetch("/favicon.ico")).status);
        assert.equal(icon, 200);
        assert.equal(await page.locator('link[rel="icon"][type="image/svg+xml"]').count(), 1);
      },
      null,
    ));

  test("every member page fits a phone and a desktop", () =>
    withPage("member", async (page) => {
      await signIn(page, kMember);
      const pages = [
        ["member-overview", "/", false],
        ["member-data", "/members/GM0363", true],
        ["member-events", "/members/GM0363/events", false],
        ["member-warnings", "/warnings", false],
        ["member-warning", `/warnings/${warningId}`, false],
        ["member-messages", "/messages", false],
        ["member-account", "/account", true],
      ];
      for (const [name, path, rowActions] of pages) {
        await page.goto(`${world.url}${path}`);
        await checkLayout(page, name, { rowActions });
      }
    }));

  test("every analyst page fits a phone and a desktop", () =>
    withPage("analyst", async (page) => {
      await signIn(page, kAnalyst);
      const pages = [
        ["analyst-members", "/", false],
        ["analyst-lookup", "/lookup?q=192.0.2.10", false],
        // A member's page as the analyst sees it; the events page is the member's own.
        ["analyst-member-data", "/members/GM0363", true],
        ["analyst-claims", "/claims", true],
        ["analyst-upload", "/upload", false],
        ["analyst-unrouted", "/unrouted", false],
        ["analyst-unrouted-groups", "/unrouted/groups", true],
        ["analyst-overview", "/overview", false],
        ["analyst-advisories", "/advisories", false],
        ["analyst-advisory", "/advisories/BSI-2022-0001", false],
        ["analyst-outbox", "/outbox", true],
        ["analyst-outbox-message", `/outbox/${messageId}`, false],
        ["analyst-warnings", "/warnings", false],
        ["analyst-oncall", "/oncall", false],
        ["analyst-jobs", "/jobs", false],
        ["analyst-pages", "/pages", false],
        ["analyst-policies", "/policies", false],
        ["analyst-contact-methods", "/contact-methods", false],
      ];
      for (const [name, path, rowActions] of pages) {
        await page.goto(`${world.url}${path}`);
        await checkLayout(page, name, { rowActions });
      }
      // The outbox's release button of the held TLP:RED message is among those on screen.
      await page.goto(`${world.url}/outbox`);
      await page.getByRole("button", { name: /^Bericht \d+ vrijgeven$/ }).first().waitFor();
    }));

  test("on a phone the header is one line, and the menu opens and closes", () =>
    withPage("menu", async (page) => {
      await signIn(page, kMember);
      await page.setViewportSize({ width: 360, height: 740 });
      await settled(page);
      const header = page.getByRole("banner");
      const height = (await header.boundingBox()).height;
      assert.ok(height <= 72, `the header is ${height} px tall on a phone`);
      const menu = page.getByRole("button", { name: "Menu" });
      assert.equal(await menu.getAttribute("aria-expanded"), "false");
      assert.equal(await page.getByRole("navigation", { name: "Hoofdmenu" }).isVisible(), false);
      await menu.click();
      assert.equal(await menu.getAttribute("aria-expanded"), "true");
      await page.getByRole("button", { name: "Uitloggen" }).waitFor();
      await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Kwetsbaarheden" }).click();
      await page.getByRole("heading", { level: 1, name: "Kwetsbaarheidswaarschuwingen" }).waitFor();
      assert.equal(await menu.getAttribute("aria-expanded"), "false");
      // The long Dutch heading breaks at its soft hyphen rather than widening the page.
      const heading = await page.locator("h1").evaluate((h1) => ({ width: h1.scrollWidth, room: h1.clientWidth }));
      assert.ok(heading.width <= heading.room, JSON.stringify(heading));
      await page.screenshot({ path: join(screenshots, "member-menu-closed-360.png") });
      await menu.click();
      // Saves member-menu-open-360.png.
      await checkLayout(page, "member-menu-open", { widths: kWidths.filter((size) => size.width === 360) });
    }));
});
