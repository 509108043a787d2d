// The portal end to end: Debian's Chromium against a real `baken serve` on loopback.
// Members come from tests/data/advisories/members.json: GM0363 (Amsterdam, 192.0.2.0/24, runs
// the affected CVRF-CSAF-Converter 1.0.0-rc1) and GM0014 (Groningen, 203.0.113.0/25) among
// them. Every main page is checked with axe-core for WCAG 2.1 AA at 1440 and 360 px wide and
// saved as a screenshot in build/e2e-artifacts.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll, totpCode } from "./harness.mjs";
import { checkPage, signIn as signInAt, withPage as withPageIn } from "./pages.mjs";

const kMember = { email: "soc@amsterdam.example.nl", password: "lang genoeg wachtwoord 1" };
const kAnalyst = { email: "analist@cert.example.nl", password: "lang genoeg wachtwoord 2" };
const kPrivacy = { email: "fg@amsterdam.example.nl", password: "lang genoeg wachtwoord 3" };

let world;
let browser;

before(async () => {
  // Only this file's screenshots: the other test files keep theirs in subdirectories.
  mkdirSync(artifactsDir, { recursive: true });
  for (const file of readdirSync(artifactsDir)) {
    if (file.endsWith(".png")) rmSync(join(artifactsDir, file));
  }
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/advisories/members.json")]);
  world.addUser(kMember.email, "member", "GM0363", kMember.password);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  world.addUser(kPrivacy.email, "member", "GM0363", kPrivacy.password);
  const csaf = join(sourceDir, "tests/data/advisories/csaf");
  world.baken(["advisory", "import", join(csaf, "2022-evd-uc-06-001.json"), join(csaf, "bsi-2022-0001.json")]);
  await world.startSmtp();
  // Plans and sends the warnings: GM0363 is warned of BSI-2022-0001 (its converter).
  world.baken(["notify", "--smtp", world.smtpUrl, "--retry-seconds", "0"]);
  await world.serve();
  browser = await launchBrowser();
});

after(async () => {
  const reports = await stopAll();
  assert.deepEqual(reports, [], "a sanitizer reported a problem in a process the tests ran");
});

// A GET of the API with an analyst's token, for what the tests check behind the portal.
let analystToken = null;
async function analystApi(path) {
  analystToken ??= JSON.parse(world.baken(["--json", "token", "create", "--email", kAnalyst.email])).token;
  const response = await fetch(`${world.url}${path}`, { headers: { Authorization: `Bearer ${analystToken}` } });
  assert.equal(response.status, 200, path);
  return response.json();
}

// The id of a warning issued to `member`.
async function warningIdOf(member) {
  const { warnings } = await analystApi("/api/v1/warnings");
  const found = warnings.find((warning) => warning.member === member);
  assert.ok(found, `no warning for ${member}`);
  return found.id;
}


// This file's server and browser.
const signIn = (page, who) => signInAt(page, world.url, who);
const withPage = (name, body) => withPageIn(browser, name, body);

// A number in the upload's summary, by its label.
async function summaryValue(page, label) {
  const item = page.locator(".baken-summary > *").filter({ has: page.getByText(label, { exact: true }) });
  return (await item.locator("dd").textContent()).trim();
}

// A Shadowserver RDP report with times of an hour ago: one finding for GM0363, one for
// GM0014, one no member owns.
function rdpReport() {
  const hourAgo = new Date(Date.now() - 3600_000).toISOString().slice(0, 19).replace("T", " ");
  const lines = [
    '"timestamp","ip","protocol","port","hostname","asn","geo"',
    `"${hourAgo}","192.0.2.10","tcp",3389,"rdp.amsterdam.example.nl",64500,"NL"`,
    `"${hourAgo}","203.0.113.5","tcp",3389,,64501,"NL"`,
    `"${hourAgo}","10.1.2.3","tcp",3389,,,"NL"`,
  ];
  const path = join(world.dir, "2026-11-22-scan_rdp-nl-geo.csv");
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

describe("portal", () => {
  test("the sign-in page names the wrong field and refuses a wrong password", () =>
    withPage("the sign-in page names the wrong field and refuses a wrong password", async (page) => {
    await page.goto(`${world.url}/`);
    await checkPage(page, "sign-in");
    await page.getByRole("button", { name: "Inloggen" }).click();
    await page.getByText("Vul een e-mailadres in").waitFor();
    await page.getByText("Vul uw wachtwoord in.").waitFor();
    assert.equal(await page.getByLabel("E-mailadres").getAttribute("aria-invalid"), "true");
    await page.getByLabel("E-mailadres").fill(kMember.email);
    await page.getByLabel("Wachtwoord").fill("not the password");
    await page.getByRole("button", { name: "Inloggen" }).click();
    await page.getByRole("alert").getByText("Inloggen is niet gelukt").waitFor();
    }));

  test("an analyst uploads a Shadowserver file and sees it routed", () =>
    withPage("an analyst uploads a Shadowserver file and sees it routed", async (page) => {
    await signIn(page, kAnalyst);
    await page.getByRole("heading", { level: 1, name: "Leden" }).waitFor();
    await page.getByRole("link", { name: "Gemeente Amsterdam" }).waitFor();
    await checkPage(page, "analyst-members");

    await page.getByRole("link", { name: "Feed uploaden" }).click();
    await page.getByRole("heading", { level: 1, name: "Feed uploaden" }).waitFor();
    await page.getByRole("button", { name: "Uploaden en verwerken" }).click();
    await page.getByText("Kies een bestand om te uploaden.").waitFor();
    await page.getByLabel("Bestand").setInputFiles(rdpReport());
    await page.getByRole("button", { name: "Uploaden en verwerken" }).click();
    await page.getByRole("heading", { name: "Resultaat" }).waitFor();
    assert.equal(await summaryValue(page, "Gelezen"), "3");
    assert.equal(await summaryValue(page, "Toegewezen aan een lid"), "2");
    assert.equal(await summaryValue(page, "Niet toegewezen"), "1");
    assert.equal(await summaryValue(page, "Geweigerd"), "0");
    await checkPage(page, "analyst-upload");

    // Routed: Amsterdam's events list its own address, not Groningen's.
    await page.goto(`${world.url}/members/GM0363/events`);
    await page.getByRole("cell", { name: "192.0.2.10", exact: true }).waitFor();
    assert.equal(await page.getByRole("cell", { name: "203.0.113.5" }).count(), 0);
    await checkPage(page, "analyst-member-events");
    // Unrouted: the address no member owns.
    await page.getByRole("link", { name: "Niet toegewezen" }).click();
    await page.getByRole("cell", { name: "10.1.2.3", exact: true }).waitFor();
    await checkPage(page, "analyst-unrouted");

    await page.getByRole("link", { name: "Uitgaande berichten" }).click();
    await page.getByRole("heading", { level: 1, name: "Uitgaande berichten" }).waitFor();
    await page.getByRole("cell", { name: /Kwetsbaarheidswaarschuwing/ }).first().waitFor();
    await checkPage(page, "analyst-outbox");

    await page.getByRole("link", { name: "Beveiligingsadviezen" }).click();
    await page.getByRole("link", { name: "BSI-2022-0001" }).click();
    await page.getByRole("heading", { name: "Treffers bij leden" }).waitFor();
    await page.getByRole("cell", { name: "Adviesconverter" }).first().waitFor();
    await checkPage(page, "analyst-advisory");
    }));

  test("a member edits a contact, adds a netblock and sees its warning", () =>
    withPage("a member edits a contact, adds a netblock and sees its warning", async (page) => {
    await signIn(page, kMember);
    await page.getByRole("heading", { level: 1, name: "Gemeente Amsterdam" }).waitFor();
    await page.getByRole("heading", { name: "Bevindingen deze week" }).waitFor();
    // The upload above, counted by type in words.
    await page.getByRole("region", { name: "Bevindingen deze week" }).getByRole("link", { name: "kwetsbaar systeem" }).waitFor();
    await checkPage(page, "member-overview");

    await page.getByRole("button", { name: "Gegevens bevestigen" }).click();
    await page.getByText("Bedankt: uw gegevens zijn bevestigd als actueel.").waitFor();

    await page.getByRole("navigation").getByRole("link", { name: "Uw gegevens" }).click();
    await page.getByRole("heading", { level: 2, name: "Contactpersonen" }).waitFor();
    await checkPage(page, "member-data");

    // Edit the privacy officer's contact: a wrong address is named, then fixed and saved.
    await page.getByRole("button", { name: "Privacy officer wijzigen" }).click();
    await page.getByLabel("Naam", { exact: true }).fill("Functionaris gegevensbescherming");
    await page.getByLabel("E-mailadres", { exact: true }).fill("fg-at-amsterdam");
    await page.getByRole("button", { name: "Opslaan" }).click();
    await page.getByText("Vul een geldig e-mailadres in").waitFor();
    await page.getByLabel("E-mailadres", { exact: true }).fill("fg@amsterdam.example.nl");
    await page.getByRole("button", { name: "Opslaan" }).click();
    await page.getByText("De contactpersonen zijn opgeslagen.").waitFor();
    await page.getByRole("cell", { name: "Functionaris gegevensbescherming" }).waitFor();
    const contacts = await page.evaluate(async () =>
      (await fetch("/api/v1/members/GM0363/contacts")).json(),
    );
    assert.ok(contacts.some((c) => c.name === "Functionaris gegevensbescherming"));

    // Add a netblock: a malformed one is refused at the field, a good one waits for approval.
    const netblocks = page.getByRole("region", { name: "IP-reeksen" });
    const field = netblocks.getByLabel("IP-reeks toevoegen");
    await field.fill("192.0.2.0/33x");
    await netblocks.getByRole("button", { name: "Toevoegen", exact: true }).click();
    await page.getByText("Dit is geen IP-reeks in CIDR-notatie").waitFor();
    await field.fill("198.18.0.0/24");
    await netblocks.getByRole("button", { name: "Toevoegen", exact: true }).click();
    await page.getByText("198.18.0.0/24 is aangevraagd").waitFor();
    const row = page.getByRole("row").filter({ hasText: "198.18.0.0/24" });
    await row.getByText("wacht op goedkeuring").waitFor();
    await checkPage(page, "member-data-edited");

    // The warning, with the affected asset and its remedy.
    await page.getByRole("link", { name: "Kwetsbaarheden" }).click();
    await page.getByRole("heading", { level: 1, name: "Kwetsbaarheidswaarschuwingen" }).waitFor();
    await checkPage(page, "member-warnings");
    await page.getByRole("link", { name: "BSI-2022-0001" }).click();
    await page.getByRole("cell", { name: "Adviesconverter" }).waitFor();
    // The fixed version, in its own column ("Opgelost in") and in the remedy.
    await page.getByRole("cell", { name: "1.0.0-rc2", exact: true }).waitFor();
    await checkPage(page, "member-warning");
    // The messages the member received: its own warnings, to its own contacts.
    await page.getByRole("navigation").getByRole("link", { name: "Verstuurde e-mails" }).click();
    await page.getByRole("heading", { level: 1, name: "Verstuurde e-mails" }).waitFor();
    await page.getByRole("cell", { name: /BSI-2022-0001/ }).waitFor();
    const recipients = await page.locator("tbody tr td:nth-child(4)").allTextContents();
    assert.ok(recipients.length >= 2, recipients.join("|"));
    assert.ok(recipients.every((r) => r.includes("amsterdam.example.nl")), recipients.join("|"));
    await checkPage(page, "member-messages");

    // Events, filtered and exported.
    await page.getByRole("navigation").getByRole("link", { name: "Bevindingen" }).click();
    await page.getByRole("cell", { name: "192.0.2.10", exact: true }).waitFor();
    await checkPage(page, "member-events");
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Exporteren als CSV" }).click();
    const csvPath = join(world.dir, "export.csv");
    await (await download).saveAs(csvPath);
    const csv = readFileSync(csvPath, "utf8");
    assert.match(csv, /192\.0\.2\.10/);
    assert.doesNotMatch(csv, /203\.0\.113\.5/);
    // Every event carries its TLP level, in the table and the export.
    assert.match(csv.replace(/^\uFEFF/, "").split("\r\n")[0], /(^|;)tlp(;|$)/);
    await page.getByRole("cell", { name: "TLP:AMBER" }).first().waitFor();

    // English on request.
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("navigation").getByRole("link", { name: "Vulnerabilities" }).click();
    await page.getByRole("heading", { level: 1, name: "Vulnerability warnings" }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
    await page.getByRole("button", { name: "Nederlands" }).click();
    }));

  test("a member cannot open another member's page", () =>
    withPage("a member cannot open another member's page", async (page) => {
    await signIn(page, kMember);
    const answer = page.waitForResponse((r) => r.url().endsWith("/api/v1/members/GM0014"));
    await page.goto(`${world.url}/members/GM0014`);
    assert.equal((await answer).status(), 404);
    await page.getByRole("heading", { level: 1, name: "Niet gevonden" }).waitFor();
    assert.equal(await page.getByText("Gemeente Groningen").count(), 0);
    await checkPage(page, "member-other-404");
    // Nor its events, nor a warning of another member.
    const groningenWarning = await warningIdOf("GM0014");
    assert.ok((await analystApi("/api/v1/events?member=GM0014")).events.length > 0);
    const status = await page.evaluate(async (groningenWarning) => {
      const { csrf_token: csrf } = await (await fetch("/api/v1/session")).json();
      const all = (await (await fetch("/api/v1/events?limit=1000")).json()).events;
      return {
        groningenEvents: (await (await fetch("/api/v1/events?member=GM0014")).json()).events.length,
        members: [...new Set(all.map((event) => event["baken.member"]))],
        unrouted: (await fetch("/api/v1/events?unrouted=true")).status,
        warning: (await fetch(`/api/v1/warnings/${groningenWarning}`)).status,
        // With the CSRF token, so that only the role can refuse it.
        approve: (await fetch("/api/v1/claims/1/approve", { method: "POST", headers: { "X-CSRF-Token": csrf } }))
          .status,
        groningenContacts: (
          await fetch("/api/v1/members/GM0014/contacts", {
            method: "PUT",
            headers: { "X-CSRF-Token": csrf, "Content-Type": "application/json" },
            body: "[]",
          })
        ).status,
      };
    }, groningenWarning);
    const summary = JSON.stringify(status);
    assert.equal(status.groningenEvents, 0, summary); // Groningen has events; not for Amsterdam
    assert.deepEqual(status.members, ["GM0363"], summary);
    assert.equal(status.unrouted, 403, summary);
    assert.equal(status.warning, 404, summary);
    assert.equal(status.approve, 403, summary);
    assert.equal(status.groningenContacts, 404, summary);
    // Nor does the events page of another member show anything but "not found".
    await page.goto(`${world.url}/members/GM0014/events`);
    await page.getByRole("heading", { level: 1, name: "Niet gevonden" }).waitFor();
    }));

  test("an analyst approves the member's new netblock and signs out", () =>
    withPage("an analyst approves the member's new netblock and signs out", async (page) => {
    await signIn(page, kAnalyst);
    await page.getByRole("link", { name: "Te beoordelen" }).click();
    await page.getByRole("cell", { name: /198\.18\.0\.0\/24/ }).waitFor();
    await checkPage(page, "analyst-claims");
    await page.getByRole("button", { name: "198.18.0.0/24 goedkeuren" }).click();
    await page.getByText("198.18.0.0/24 van Gemeente Amsterdam (GM0363) is goedgekeurd.").waitFor();
    const lookup = await page.evaluate(async () => (await fetch("/api/v1/lookup?value=198.18.0.7")).json());
    assert.equal(lookup.member, "GM0363");
    await page.getByRole("button", { name: "Uitloggen" }).click();
    await page.getByRole("heading", { level: 1, name: "Inloggen bij Baken" }).waitFor();
    assert.equal(await page.evaluate(async () => (await fetch("/api/v1/session")).status), 401);
    }));
  test("a member turns on the second factor and then signs in with a code", () =>
    withPage("totp", async (page) => {
      await signIn(page, kPrivacy);
      await page.getByRole("navigation").getByRole("link", { name: "Account" }).click();
      await page.getByText("Tweestapsverificatie staat uit.").waitFor();
      await page.getByRole("button", { name: "Tweestapsverificatie instellen" }).click();
      await page.getByRole("img", { name: /QR-code/ }).waitFor();
      const secret = (await page.locator(".baken-secret").textContent()).trim();
      assert.match(secret, /^[A-Z2-7]{32}$/);
      await checkPage(page, "member-account-totp");
      // A wrong code is named at the field; so is a wrong password (a stolen session alone
      // cannot turn it on). The app's code with the password turns it on.
      const field = page.getByLabel("Code uit de authenticator-app");
      const password = page.getByLabel("Wachtwoord", { exact: true });
      await field.fill("12345");
      await page.getByRole("button", { name: "Tweestapsverificatie aanzetten" }).click();
      await page.getByText("Vul de zes cijfers uit de app in.").waitFor();
      const now = Date.now();
      await field.fill(totpCode(secret, now));
      await password.fill("not the password at all");
      await page.getByRole("button", { name: "Tweestapsverificatie aanzetten" }).click();
      await page.getByText("Dit wachtwoord klopt niet.", { exact: false }).waitFor();
      // The browser logs the refusal (400), the answer expected here and nothing else.
      assert.deepEqual(page.problems.splice(0), [
        "console: Failed to load resource: the server responded with a status of 400 (Bad Request)",
      ]);
      await password.fill(kPrivacy.password);
      await page.getByRole("button", { name: "Tweestapsverificatie aanzetten" }).click();
      await page.getByText("Tweestapsverificatie staat aan.", { exact: false }).first().waitFor();
      await page.getByRole("button", { name: "Uitloggen" }).click();

      // The password alone is not enough: the portal asks for the code.
      await page.getByLabel("E-mailadres").fill(kPrivacy.email);
      await page.getByLabel("Wachtwoord").fill(kPrivacy.password);
      await page.getByRole("button", { name: "Inloggen" }).click();
      const code = page.getByLabel("Code uit de authenticator-app");
      await code.waitFor();
      await checkPage(page, "sign-in-code");
      // The code that turned it on is used up; the next one (the app shows it within 30 s) works.
      await code.fill(totpCode(secret, now + 30_000));
      await page.getByRole("button", { name: "Inloggen" }).click();
      await page.getByRole("button", { name: "Uitloggen" }).waitFor();
      await page.getByRole("heading", { level: 1, name: "Gemeente Amsterdam" }).waitFor();
    }));
});
