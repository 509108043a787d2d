// Safe actions end to end: what is asked before a removal, an overlapping approval, a TLP:RED
// release and an inventory import, what undo brings back (and in which state), the lookup page,
// and changing an asset. Debian's Chromium against a real `baken serve` on loopback.
// Members come from tests/data/advisories/members.json: GM0363 Amsterdam (192.0.2.0/24,
// amsterdam.example.nl, five assets), GM0599 Rotterdam (198.51.100.0/24), GM0014 Groningen
// (203.0.113.0/25; AS64500 is added below), SV0001 (203.0.113.128/25).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { apiInPage, checkPage, signIn, withPage } from "./pages.mjs";

const kMember = { email: "soc@amsterdam.example.nl", password: "lang genoeg wachtwoord 1" };
const kAnalyst = { email: "analist@cert.example.nl", password: "lang genoeg wachtwoord 2" };

let world;
let browser;
const tokens = {};

// The API with a user's token, for what the tests prepare and check behind the portal.
async function apiAs(who, path, method = "GET", body = undefined) {
  tokens[who.email] ??= JSON.parse(world.baken(["--json", "token", "create", "--email", who.email])).token;
  const response = await fetch(`${world.url}/api/v1${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${tokens[who.email]}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.equal(response.status, 200, `${method} ${path}: ${await response.clone().text()}`);
  return response.json();
}

// Which member Baken routes `value` to now (null: none).
async function ownerOf(value) {
  return (await apiAs(kAnalyst, `/lookup?value=${encodeURIComponent(value)}`)).member;
}

async function netblock(code, value) {
  const member = await apiAs(kAnalyst, `/members/${code}`);
  return (member.netblocks ?? []).find((claim) => claim.netblock === value);
}

before(async () => {
  mkdirSync(artifactsDir, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/advisories/members.json")]);
  world.addUser(kMember.email, "member", "GM0363", kMember.password);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  world.baken(["advisory", "import", join(sourceDir, "tests/data/advisories/csaf/bsi-2022-0001.json")]);
  // A TLP:RED finding for Amsterdam: its message is held until an analyst releases it.
  const red = join(world.dir, "2026-11-21-scan_telnet-nl.csv");
  writeFileSync(red, "timestamp,ip,port\n2026-11-21 01:00:00,192.0.2.30,23\n");
  world.baken(["ingest", "--tlp", "RED", red]);
  await world.startSmtp();
  world.baken(["notify", "--smtp", world.smtpUrl, "--retry-seconds", "0"]);
  await world.serve();
  // Groningen's AS number, added by an analyst (approved at once), for the lookup.
  await apiAs(kAnalyst, "/members/GM0014/asns", "PUT", ["AS64500"]);
  browser = await launchBrowser();
});

after(async () => {
  const reports = await stopAll();
  assert.deepEqual(reports, [], "a sanitizer reported a problem in a process the tests ran");
});

describe("safe actions", () => {
  test("a member removing an approved range is told findings stop; undo brings it back as a request", () =>
    withPage(browser, "member removes a range", async (page) => {
      await signIn(page, world.url, kMember);
      await page.getByRole("navigation").getByRole("link", { name: "Uw gegevens" }).click();
      await page.getByRole("heading", { level: 2, name: "IP-reeksen" }).waitFor();
      assert.equal(await ownerOf("192.0.2.7"), "GM0363");

      // Asked first, with the consequence; the harmless answer has the focus.
      const remove = page.getByRole("button", { name: "192.0.2.0/24 verwijderen" });
      await remove.click();
      const dialog = page.getByRole("alertdialog", { name: "192.0.2.0/24 verwijderen?" });
      await dialog.waitFor();
      await dialog.getByText("Meldingen over adressen in deze reeks worden dan niet meer naar u gestuurd.").waitFor();
      await dialog.getByText("nieuwe aanvraag, die de IBD opnieuw beoordeelt").waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Annuleren");
      await checkPage(page, "member-confirm-remove-range");

      // Cancel keeps it, and the focus goes back to the button that asked.
      await dialog.getByRole("button", { name: "Annuleren" }).click();
      await dialog.waitFor({ state: "detached" });
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "192.0.2.0/24 verwijderen");
      assert.equal((await netblock("GM0363", "192.0.2.0/24"))?.state, "approved");
      assert.equal(await ownerOf("192.0.2.7"), "GM0363");
      // So does Escape.
      await remove.click();
      await dialog.waitFor();
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });
      await page.getByRole("cell", { name: "192.0.2.0/24", exact: true }).waitFor();
      assert.equal(await ownerOf("192.0.2.7"), "GM0363");

      // Confirmed: gone, and findings about its addresses go to no one.
      await remove.click();
      await dialog.getByRole("button", { name: "Verwijderen", exact: true }).click();
      await page.getByText("192.0.2.0/24 is verwijderd.").waitFor();
      await page.getByText("komt 192.0.2.0/24 terug als aanvraag die de IBD opnieuw beoordeelt").waitFor();
      await page.getByRole("cell", { name: "192.0.2.0/24", exact: true }).waitFor({ state: "detached" });
      assert.equal(await netblock("GM0363", "192.0.2.0/24"), undefined);
      assert.equal(await ownerOf("192.0.2.7"), null);
      await checkPage(page, "member-range-removed");

      // Undo: back in the list, as the notice said, as a request that routes nothing yet.
      await page.getByRole("button", { name: "Ongedaan maken" }).click();
      await page.getByText("192.0.2.0/24 is teruggezet als aanvraag en wacht op goedkeuring door de IBD.").waitFor();
      await page.getByRole("row").filter({ hasText: "192.0.2.0/24" }).getByText("wacht op goedkeuring").waitFor();
      assert.equal((await netblock("GM0363", "192.0.2.0/24"))?.state, "pending");
      assert.equal(await ownerOf("192.0.2.7"), null);

      // The next action elsewhere on the page replaces that report instead of adding to it.
      await page.getByRole("button", { name: "Privacy officer wijzigen" }).click();
      await page.getByRole("button", { name: "Opslaan" }).click();
      await page.getByText("De contactpersonen zijn opgeslagen.").waitFor();
      assert.equal(await page.getByText("is teruggezet als aanvraag").count(), 0);

      // Removing the last trusted contact says what happens to TLP:AMBER messages.
      await page.getByRole("button", { name: "SOC Amsterdam verwijderen" }).click();
      const contactDialog = page.getByRole("alertdialog", { name: "SOC Amsterdam verwijderen?" });
      await contactDialog.getByText("Dit is de laatste vertrouwde contactpersoon").waitFor();
      await contactDialog.getByRole("button", { name: "Annuleren" }).click();
      await page.getByRole("cell", { name: "SOC Amsterdam" }).waitFor();
    }));

  test("an analyst's undo of a removed range brings it back approved", () =>
    withPage(browser, "analyst removes a range", async (page) => {
      await signIn(page, world.url, kAnalyst);
      await page.goto(`${world.url}/members/GM0599`);
      // The analyst reads Rotterdam's data, and is not addressed as Rotterdam.
      await page.getByText("Gegevens van Gemeente Rotterdam: nog nooit bevestigd.").waitFor();
      assert.equal(await page.getByText("Uw gegevens zijn").count(), 0);

      await page.getByRole("button", { name: "198.51.100.0/24 verwijderen" }).click();
      const dialog = page.getByRole("alertdialog", { name: "198.51.100.0/24 verwijderen?" });
      await dialog.getByText("Meldingen over adressen in deze reeks gaan dan niet meer naar Gemeente Rotterdam.").waitFor();
      await dialog.getByRole("button", { name: "Verwijderen", exact: true }).click();
      await page.getByText("198.51.100.0/24 is verwijderd.").waitFor();
      assert.equal(await ownerOf("198.51.100.9"), null);

      await page.getByRole("button", { name: "Ongedaan maken" }).click();
      await page.getByText("198.51.100.0/24 is teruggezet en weer goedgekeurd.").waitFor();
      await page.getByRole("row").filter({ hasText: "198.51.100.0/24" }).getByText("goedgekeurd").waitFor();
      assert.equal((await netblock("GM0599", "198.51.100.0/24"))?.state, "approved");
      assert.equal(await ownerOf("198.51.100.9"), "GM0599");
    }));

  test("approving a claim that overlaps another member asks first, naming whose findings move", () =>
    withPage(browser, "overlapping approval", async (page) => {
      // Amsterdam asks for part of Rotterdam's range, and for Groningen's very range.
      const values = (await apiAs(kMember, "/members/GM0363")).netblocks.map((claim) => claim.netblock);
      await apiAs(kMember, "/members/GM0363/netblocks", "PUT", [...values, "198.51.100.128/25", "203.0.113.0/25"]);

      await signIn(page, world.url, kAnalyst);
      await page.getByRole("navigation").getByRole("link", { name: "Te beoordelen" }).click();
      await page.getByRole("cell", { name: /198\.51\.100\.128\/25/ }).waitFor();

      // No overlap: nothing to ask (the range undone above as a request).
      await page.getByRole("button", { name: "192.0.2.0/24 goedkeuren" }).click();
      await page.getByText("192.0.2.0/24 van Gemeente Amsterdam (GM0363) is goedgekeurd.").waitFor();
      assert.equal(await page.getByRole("alertdialog").count(), 0);
      assert.equal(await ownerOf("192.0.2.7"), "GM0363");

      const approve = page.getByRole("button", { name: "198.51.100.128/25 goedkeuren" });
      await approve.click();
      const dialog = page.getByRole("alertdialog", {
        name: "198.51.100.128/25 goedkeuren voor Gemeente Amsterdam (GM0363)?",
      });
      await dialog
        .getByText(
          "198.51.100.128/25 ligt binnen 198.51.100.0/24 van Gemeente Rotterdam (GM0599). Bij goedkeuring gaan meldingen over 198.51.100.128/25 naar Gemeente Amsterdam (GM0363) in plaats van naar Gemeente Rotterdam (GM0599).",
        )
        .waitFor();
      await checkPage(page, "analyst-confirm-overlap");
      await dialog.getByRole("button", { name: "Annuleren" }).click();
      await dialog.waitFor({ state: "detached" });
      assert.equal((await netblock("GM0363", "198.51.100.128/25"))?.state, "pending");
      assert.equal(await ownerOf("198.51.100.200"), "GM0599");

      await approve.click();
      await dialog.getByRole("button", { name: "Goedkeuren" }).click();
      await page.getByText("198.51.100.128/25 van Gemeente Amsterdam (GM0363) is goedgekeurd.").waitFor();
      assert.equal(await ownerOf("198.51.100.200"), "GM0363");
      assert.equal(await ownerOf("198.51.100.9"), "GM0599");

      // The very value another member holds: refused here, in Dutch, before asking anyone.
      await page.getByRole("button", { name: "203.0.113.0/25 goedkeuren" }).click();
      await page
        .getByText("203.0.113.0/25 kan niet worden goedgekeurd: Gemeente Groningen (GM0014) heeft precies deze waarde al")
        .waitFor();
      assert.equal(await page.getByRole("alertdialog").count(), 0);
      assert.equal((await netblock("GM0363", "203.0.113.0/25"))?.state, "pending");
      assert.equal(await ownerOf("203.0.113.7"), "GM0014");
    }));

  test("the lookup page names the member of an IP address, an AS number and a domain, or none", () =>
    withPage(browser, "lookup", async (page) => {
      await signIn(page, world.url, kAnalyst);
      await page.getByRole("navigation").getByRole("link", { name: "Opzoeken" }).click();
      await page.getByRole("heading", { level: 1, name: "Van wie is dit IP-adres, AS-nummer of domein?" }).waitFor();
      const field = page.getByLabel("IP-adres, AS-nummer of domein");
      const result = page.locator("section[aria-labelledby=lookup-result]");
      const ask = async (value, heading) => {
        await field.fill(value);
        await page.getByRole("button", { name: "Opzoeken" }).click();
        await page.getByRole("heading", { level: 2, name: `Resultaat voor ${heading ?? value}` }).waitFor();
        await page.waitForFunction(() => !document.querySelector(".baken-loading"));
        return (await result.textContent()).replace(/\s+/g, " ");
      };

      // An address in the narrower range approved above goes to Amsterdam, not Rotterdam.
      let text = await ask("198.51.100.200");
      assert.match(text, /Gemeente Amsterdam \(GM0363\)/);
      assert.match(text, /IP-reeks 198\.51\.100\.128\/25/);
      assert.match(page.url(), /\/lookup\?q=198\.51\.100\.200$/);
      text = await ask("198.51.100.9");
      assert.match(text, /Gemeente Rotterdam \(GM0599\)/);
      assert.match(text, /IP-reeks 198\.51\.100\.0\/24/);
      text = await ask("AS64500");
      assert.match(text, /Gemeente Groningen \(GM0014\)/);
      assert.match(text, /AS-nummer AS64500/);
      text = await ask("www.amsterdam.example.nl");
      assert.match(text, /Gemeente Amsterdam \(GM0363\)/);
      assert.match(text, /domein amsterdam\.example\.nl/);
      text = await ask("10.1.2.3");
      assert.match(text, /Geen lid gevonden voor 10\.1\.2\.3\./);
      assert.doesNotMatch(text, /Gemeente/);
      await checkPage(page, "analyst-lookup-none");

      // Not an address: said in Dutch (the browser logs the 400 it expects).
      text = await ask("999.1.2.3");
      assert.match(text, /Dit is geen IP-adres, AS-nummer \(zoals AS64500\) of domeinnaam\./);
      assert.deepEqual(page.problems.splice(0), [
        "console: Failed to load resource: the server responded with a status of 400 (Bad Request)",
      ]);

      // A link answers at once; a bare number is an AS number; the member's name leads to it.
      await page.goto(`${world.url}/lookup?q=64500`);
      await page.getByRole("heading", { level: 2, name: "Resultaat voor AS64500" }).waitFor();
      await page.getByRole("link", { name: "Gemeente Groningen" }).waitFor();
      assert.equal(await field.inputValue(), "64500");
      await checkPage(page, "analyst-lookup");
      await page.getByRole("link", { name: "Gemeente Groningen" }).click();
      await page.getByRole("heading", { level: 1, name: "Gemeente Groningen" }).waitFor();
    }));

  test("a member changes an asset's version; it is saved, and matching follows it", () =>
    withPage(browser, "edit an asset", async (page) => {
      const affected = () =>
        JSON.parse(world.baken(["--json", "advisory", "matches", "BSI-2022-0001"])).find(
          (match) => match.member === "GM0363" && match.asset === "Adviesconverter",
        )?.outcome;
      assert.equal(affected(), "affected");
      await signIn(page, world.url, kMember);
      await page.goto(`${world.url}/members/GM0363`);
      await page.getByRole("button", { name: "Adviesconverter wijzigen" }).click();
      await page.getByRole("heading", { level: 3, name: "ICT-middel Adviesconverter wijzigen" }).waitFor();
      const version = page.getByLabel("Versie", { exact: true });
      assert.equal(await version.inputValue(), "1.0.0-rc1");
      await checkPage(page, "member-asset-edit");
      // Another asset's name is refused at the field.
      await page.getByLabel("Naam", { exact: true }).fill("Kassasysteem");
      await page.getByRole("button", { name: "Opslaan" }).click();
      await page.getByText("Er is al een ICT-middel met deze naam.").waitFor();
      await page.getByLabel("Naam", { exact: true }).fill("Adviesconverter");
      await version.fill("1.0.0-rc2");
      await page.getByRole("button", { name: "Opslaan" }).click();
      await page.getByText("Adviesconverter is gewijzigd.").waitFor();

      await page.reload();
      const row = page.getByRole("row").filter({ hasText: "Adviesconverter" });
      await row.getByRole("cell", { name: "1.0.0-rc2", exact: true }).waitFor();
      const assets = (await apiInPage(page, "/members/GM0363")).body.assets;
      assert.equal(assets.length, 5);
      const changed = assets.find((asset) => asset.name === "Adviesconverter");
      assert.equal(changed.version, "1.0.0-rc2");
      assert.equal(changed.vendor, "CSAF Tools");
      assert.equal(changed.criticality, "medium");
      // The version inside its CPE name moved too, so the advisory no longer applies.
      assert.equal(changed.cpe, "cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-rc2:*:*:*:*:*:*:*");
      assert.equal(affected(), "not_affected");
    }));

  test("an inventory import says how many assets it replaces, and can be undone", () =>
    withPage(browser, "inventory import", async (page) => {
      await signIn(page, world.url, kMember);
      await page.goto(`${world.url}/members/GM0363`);
      const csv = join(world.dir, "inventaris.csv");
      writeFileSync(csv, "name;vendor;product;version\nMailserver;Example;Mail;1.2\n\nWebsite;Example;CMS;3\n");
      await page.getByLabel("Inventaris importeren (CSV)").setInputFiles(csv);
      await page.getByRole("button", { name: "Importeren", exact: true }).click();
      const dialog = page.getByRole("alertdialog", { name: "Inventaris vervangen?" });
      await dialog.getByText("Dit vervangt alle 5 ICT-middelen door de 2 uit inventaris.csv.").waitFor();
      await dialog.getByRole("button", { name: "Annuleren" }).click();
      await dialog.waitFor({ state: "detached" });
      assert.equal((await apiInPage(page, "/members/GM0363")).body.assets.length, 5);

      await page.getByRole("button", { name: "Importeren", exact: true }).click();
      await dialog.getByRole("button", { name: "Vervangen" }).click();
      await page.getByText("De inventaris uit inventaris.csv is geïmporteerd.").waitFor();
      let names = (await apiInPage(page, "/members/GM0363")).body.assets.map((asset) => asset.name);
      assert.deepEqual(names, ["Mailserver", "Website"]);

      await page.getByRole("button", { name: "Ongedaan maken" }).click();
      await page.getByText("De 5 ICT-middelen van vóór de import zijn teruggezet.").waitFor();
      const assets = (await apiInPage(page, "/members/GM0363")).body.assets;
      names = assets.map((asset) => asset.name);
      assert.deepEqual(names.slice().sort(), [
        "Adviesconverter",
        "Databasebeheer web",
        "Kassasysteem",
        "Linux applicatieserver",
        "Open data API",
      ]);
      // As they were, with the change made before the import.
      assert.equal(assets.find((asset) => asset.name === "Adviesconverter").version, "1.0.0-rc2");
    }));

  test("revoking an API token asks first; cancel keeps it working, confirming ends it", () =>
    withPage(browser, "revoke a token", async (page) => {
      await signIn(page, world.url, kMember);
      await page.getByRole("navigation").getByRole("link", { name: "Account" }).click();
      await page.getByLabel("Waarvoor").fill("Nachtelijk script");
      await page.getByRole("button", { name: "Token maken" }).click();
      const token = (await page.locator("code.baken-secret").textContent()).trim();
      const works = async () =>
        (await fetch(`${world.url}/api/v1/session`, { headers: { Authorization: `Bearer ${token}` } })).status;
      assert.equal(await works(), 200);

      const revoke = page.getByRole("button", { name: "Token Nachtelijk script intrekken" });
      await revoke.click();
      const dialog = page.getByRole("alertdialog", { name: "Token Nachtelijk script intrekken?" });
      await dialog.getByText("Scripts die dit token gebruiken, werken daarna niet meer.").waitFor();
      await dialog.getByRole("button", { name: "Annuleren" }).click();
      await dialog.waitFor({ state: "detached" });
      assert.equal(await works(), 200);

      await revoke.click();
      await dialog.getByRole("button", { name: "Intrekken" }).click();
      await page.getByText("Token Nachtelijk script is ingetrokken en werkt niet meer.").waitFor();
      assert.equal(await works(), 401);
    }));

  test("releasing a TLP:RED message asks first, naming the recipients", () =>
    withPage(browser, "release TLP:RED", async (page) => {
      const redIps = async () =>
        (await apiAs(kMember, "/events?member=GM0363")).events
          .filter((event) => event.tlp === "RED")
          .map((event) => event["source.ip"]);
      const held = (await apiAs(kAnalyst, "/outbox?state=held")).messages.find(
        (message) => message.member === "GM0363" && message.tlp === "RED",
      );
      assert.ok(held, "no held TLP:RED message");
      assert.deepEqual(await redIps(), []);

      await signIn(page, world.url, kAnalyst);
      await page.getByRole("navigation").getByRole("link", { name: "Uitgaande berichten" }).click();
      const release = page.getByRole("button", { name: `Bericht ${held.id} vrijgeven` });
      await release.click();
      const dialog = page.getByRole("alertdialog", { name: `Bericht ${held.id} (TLP:RED) vrijgeven?` });
      await dialog.getByText(`naar ${held.recipients.join(", ")}`).waitFor();
      await dialog.getByText("Gemeente Amsterdam ziet de bevindingen ervan daarna ook in het portaal").waitFor();
      await checkPage(page, "analyst-confirm-release");
      await dialog.getByRole("button", { name: "Annuleren" }).click();
      await dialog.waitFor({ state: "detached" });
      const outbox = async () =>
        (await apiAs(kAnalyst, "/outbox")).messages.find((message) => message.id === held.id).state;
      assert.equal(await outbox(), "held");
      assert.deepEqual(await redIps(), []);

      await release.click();
      await dialog.getByRole("button", { name: "Vrijgeven" }).click();
      await page.getByText(`Bericht ${held.id} is vrijgegeven`).waitFor();
      assert.equal(await outbox(), "pending");
      assert.deepEqual(await redIps(), ["192.0.2.30"]);
    }));
});
