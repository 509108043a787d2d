// What admins and analysts do beside the daily lists: user management (admins only), feed
// uploads with progress, cancel, refusal and history, and a member's inventory kept as a Dutch
// spreadsheet. Debian's Chromium against a real `baken serve` on loopback; screenshots of each
// page at 1440 and 360 px go to <artefacts>/admin/.
// Members come from tests/data/advisories/members.json: GM0363 Amsterdam (192.0.2.0/24).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll, totpCode } from "./harness.mjs";
import { apiInPage, checkPage, openPage, signIn, withPage } from "./pages.mjs";

const kAdmin = { email: "beheer@cert.example.nl", password: "lang genoeg wachtwoord 0" };
const kAnalyst = { email: "analist@cert.example.nl", password: "lang genoeg wachtwoord 2" };
const kMember = { email: "soc@amsterdam.example.nl", password: "lang genoeg wachtwoord 1" };
const kNewAnalyst = "nieuwe.analist@cert.example.nl";
const kNewMemberUser = "ciso@amsterdam.example.nl";

// A folder of its own: portal.test.mjs clears the artefacts directory's screenshots.
const screenshots = join(artifactsDir, "admin");
let world;
let browser;

before(async () => {
  rmSync(screenshots, { recursive: true, force: true });
  mkdirSync(screenshots, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/advisories/members.json")]);
  world.addUser(kAdmin.email, "admin", null, kAdmin.password);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  world.addUser(kMember.email, "member", "GM0363", kMember.password);
  await world.serve();
  browser = await launchBrowser();
});

after(async () => {
  const reports = await stopAll();
  assert.deepEqual(reports, [], "a sanitizer reported a problem in a process the tests ran");
});

// A Shadowserver RDP report of an hour ago with `rows` findings, a few MB: one in Amsterdam's
// range, the rest in 10.0.0.0/8, which no member owns.
function rdpReport(name, rows) {
  const hourAgo = new Date(Date.now() - 3600_000).toISOString().slice(0, 19).replace("T", " ");
  const lines = ['"timestamp","ip","protocol","port","hostname","asn","geo","region","city"'];
  lines.push(`"${hourAgo}","192.0.2.44","tcp",3389,,64500,"NL","Noord-Holland","Amsterdam"`);
  for (let i = 1; i < rows; i++) {
    const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    lines.push(`"${hourAgo}","${address}","tcp",3389,"host-${i}.example.net",64511,"NL","Zuid-Holland","Den Haag"`);
  }
  const path = join(world.dir, name);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

// Sending slower than loopback does, so that a person could watch the bar (and press cancel).
async function throttleUploads(page, bytesPerSecond) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
  return cdp;
}

// Records what the upload's progress showed, however briefly: each fraction of the bar, each
// text under it, and whether the processing step appeared.
async function watchProgress(page) {
  await page.evaluate(() => {
    const seen = { fractions: [], texts: [], processing: false };
    window.uploadSeen = seen;
    new MutationObserver(() => {
      const bar = document.getElementById("upload-progress");
      if (bar) seen.fractions.push(bar.value / bar.max);
      const text = document.querySelector(".baken-progress__text")?.textContent;
      if (text && seen.texts.at(-1) !== text) seen.texts.push(text);
      if (document.getElementById("upload-processing")) seen.processing = true;
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

async function userNamed(page, email) {
  const { body } = await apiInPage(page, "/users");
  return body.users.find((user) => user.email === email);
}

describe("admin", () => {
  test("an admin adds an analyst and a member's user, blocks, unblocks and resets two-step verification", () =>
    withPage(browser, "admin users", async (page) => {
      await signIn(page, world.url, kAdmin);
      await page.getByRole("navigation").getByRole("link", { name: "Gebruikers" }).click();
      await page.getByRole("heading", { level: 1, name: "Gebruikers" }).waitFor();
      await page.getByRole("cell", { name: kAnalyst.email }).waitFor();
      // Nobody blocks their own account.
      await page.getByRole("row").filter({ hasText: `${kAdmin.email} (u)` }).waitFor();
      assert.equal(await page.getByRole("button", { name: `${kAdmin.email} blokkeren` }).count(), 0);

      // An analyst: a generated password, shown once, with the warning to copy it now.
      const email = page.getByLabel("E-mailadres", { exact: true });
      const role = page.getByLabel("Rol", { exact: true });
      await email.fill(kNewAnalyst);
      await role.selectOption({ label: "analist" });
      await page.getByRole("button", { name: "Account aanmaken" }).click();
      await page.getByText(`Het account voor ${kNewAnalyst} is aangemaakt.`).waitFor();
      await page.getByText("Kopieer het wachtwoord nu: het wordt niet opnieuw getoond.").waitFor();
      const analystPassword = (await page.getByTestId("new-password").textContent()).trim();
      assert.ok(analystPassword.length >= 12, analystPassword);
      await page.getByRole("cell", { name: kNewAnalyst }).waitFor();
      await checkPage(page, "admin-user-added", { rowActions: true, folder: screenshots });
      await page.getByRole("button", { name: "Ik heb het wachtwoord" }).click();
      assert.equal(await page.getByTestId("new-password").count(), 0);

      // A member's user needs its member, chosen by name.
      await email.fill(kNewMemberUser);
      await role.selectOption({ label: "gebruiker van een lid" });
      await page.getByRole("button", { name: "Account aanmaken" }).click();
      await page.getByText("Kies het lid waar deze gebruiker bij hoort.").waitFor();
      await page.getByLabel("Lid", { exact: true }).selectOption({ label: "Gemeente Amsterdam (GM0363)" });
      await page.getByRole("button", { name: "Account aanmaken" }).click();
      await page.getByText(`Het account voor ${kNewMemberUser} is aangemaakt.`).waitFor();
      const memberPassword = (await page.getByTestId("new-password").textContent()).trim();
      const added = await userNamed(page, kNewMemberUser);
      assert.equal(added.role, "member");
      assert.equal(added.member, "GM0363");
      await page.getByRole("row").filter({ hasText: kNewMemberUser }).getByText("Gemeente Amsterdam (GM0363)").waitFor();

      // The same address again: refused, in Dutch, at the field.
      await email.fill(kNewAnalyst);
      await role.selectOption({ label: "analist" });
      await page.getByRole("button", { name: "Account aanmaken" }).click();
      await page.getByText(`er is al een account voor ${kNewAnalyst}`).waitFor();
      assert.equal(await email.getAttribute("aria-invalid"), "true");
      // The browser logs the refusal's 409; it was expected.
      page.problems = page.problems.filter((problem) => !/status of 409/.test(problem));

      // Search and filter narrow a long list.
      await page.getByLabel("Zoeken op e-mailadres of lid").fill("amsterdam");
      await page.getByText("2 van 2 gebruikers getoond.").waitFor();
      await page.getByLabel("Zoeken op e-mailadres of lid").fill("");
      await page.getByLabel("Toon rol").selectOption({ label: "analist" });
      await page.getByText("2 van 2 gebruikers getoond.").waitFor();
      assert.equal(await page.getByRole("cell", { name: kMember.email }).count(), 0);
      await page.getByLabel("Toon rol").selectOption({ label: "alle rollen" });
      await page.getByText("5 van 5 gebruikers getoond.").waitFor();

      // The new analyst signs in with the generated password and sees the analysts' menu,
      // without user management.
      const analystPage = await openPage(browser);
      await signIn(analystPage, world.url, { email: kNewAnalyst, password: analystPassword });
      await analystPage.getByRole("navigation").getByRole("link", { name: "Feed uploaden" }).waitFor();
      assert.equal(await analystPage.getByRole("navigation").getByRole("link", { name: "Gebruikers" }).count(), 0);
      await analystPage.context().close();

      // The member's user signs in too, and turns on two-step verification.
      const memberPage = await openPage(browser);
      await signIn(memberPage, world.url, { email: kNewMemberUser, password: memberPassword });
      await memberPage.getByRole("heading", { level: 1 }).first().waitFor();
      const offer = await apiInPage(memberPage, "/session/totp", "POST");
      assert.equal(offer.status, 201, `POST /session/totp: ${offer.status}`);
      const confirmed = await apiInPage(memberPage, "/session/totp/confirm", "POST", {
        password: memberPassword,
        code: totpCode(offer.body.secret, Date.now()),
      });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));

      // Turning it off for someone who lost their phone is asked first.
      await page.reload();
      const row = page.getByRole("row").filter({ hasText: kNewMemberUser });
      await row.getByRole("cell", { name: "aan", exact: true }).waitFor();
      await row.getByRole("button", { name: `Tweestapsverificatie van ${kNewMemberUser} uitzetten` }).click();
      const reset = page.getByRole("alertdialog", { name: `Tweestapsverificatie van ${kNewMemberUser} uitzetten?` });
      await reset.getByText("logt daarna in met alleen het wachtwoord").waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Annuleren");
      await checkPage(page, "admin-confirm-reset-totp", { folder: screenshots });
      await reset.getByRole("button", { name: "Uitzetten" }).click();
      await page.getByText(`Tweestapsverificatie van ${kNewMemberUser} staat uit.`).waitFor();
      assert.equal((await userNamed(page, kNewMemberUser)).totp, false);

      // Blocking ends the open session at once, and is asked first.
      await row.getByRole("button", { name: `${kNewMemberUser} blokkeren` }).click();
      const block = page.getByRole("alertdialog", { name: `Account ${kNewMemberUser} blokkeren?` });
      await block.getByText("kan dan niet meer inloggen").waitFor();
      await checkPage(page, "admin-confirm-block", { folder: screenshots });
      await block.getByRole("button", { name: "Blokkeren" }).click();
      await page.getByText(`${kNewMemberUser} is geblokkeerd: inloggen en API-tokens werken niet meer.`).waitFor();
      await row.getByText("geblokkeerd sinds").waitFor();
      assert.ok((await userNamed(page, kNewMemberUser)).disabled_at);
      assert.equal((await apiInPage(memberPage, "/session")).status, 401);
      await checkPage(page, "admin-users", { rowActions: true, folder: screenshots });

      // Unblocked, the user signs in again (now without a code).
      await row.getByRole("button", { name: `${kNewMemberUser} deblokkeren` }).click();
      await page.getByText(`${kNewMemberUser} is gedeblokkeerd en kan weer inloggen.`).waitFor();
      assert.equal((await userNamed(page, kNewMemberUser)).disabled_at, null);
      await signIn(memberPage, world.url, { email: kNewMemberUser, password: memberPassword });
      await memberPage.context().close();

      // Lifting a sign-in lock needs no question: it takes nothing away.
      await row.getByRole("button", { name: `Inlogblokkade van ${kNewMemberUser} opheffen` }).click();
      await page.getByText(`Mislukte inlogpogingen van ${kNewMemberUser} zijn vergeten`).waitFor();
    }, screenshots));

  test("an analyst has no user management: no menu item, and /users is not found", () =>
    withPage(browser, "analyst no users", async (page) => {
      await signIn(page, world.url, kAnalyst);
      const menu = page.getByRole("navigation");
      await menu.getByRole("link", { name: "Uitgaande berichten" }).waitFor();
      assert.equal(await menu.getByRole("link", { name: "Gebruikers" }).count(), 0);
      await page.goto(`${world.url}/users`);
      await page.getByRole("heading", { level: 1, name: "Niet gevonden" }).waitFor();
      await checkPage(page, "analyst-users-404", { folder: screenshots });
      // The server says no as well, with its code.
      const answer = await apiInPage(page, "/users");
      assert.equal(answer.status, 403);
      assert.equal(answer.body.code, "user.admins_only");
    }, screenshots));

  test("an upload shows the bytes sent, then processing, and lands in the history", () =>
    withPage(browser, "upload progress", async (page) => {
      const file = rdpReport("2026-12-01-scan_rdp-nl-groot.csv", 60_000);
      await signIn(page, world.url, kAnalyst);
      await page.getByRole("navigation").getByRole("link", { name: "Feed uploaden" }).click();
      await page.getByRole("heading", { level: 1, name: "Feed uploaden" }).waitFor();
      await page.getByLabel("Bestand", { exact: true }).setInputFiles(file);
      await watchProgress(page);
      // About four seconds for the file's 6 MB.
      const cdp = await throttleUploads(page, 1_500_000);
      await page.getByRole("button", { name: "Uploaden en verwerken" }).click();
      await page.getByRole("heading", { level: 2, name: "Resultaat" }).waitFor({ timeout: 120_000 });
      await cdp.detach();
      const seen = await page.evaluate(() => window.uploadSeen);
      assert.ok(seen.fractions.some((f) => f > 0 && f < 1), `no partial progress: ${JSON.stringify(seen.texts)}`);
      assert.ok(seen.fractions.some((f) => f === 1), `the bar never was full: ${JSON.stringify(seen.texts)}`);
      assert.ok(seen.texts.some((text) => /^Verstuurd: 100% \((\d+,\d MB) van \1\)$/.test(text)), JSON.stringify(seen.texts));
      assert.ok(seen.processing, "the processing step was not shown");
      const parsed = page.locator(".utrecht-data-list__item").filter({ hasText: "Gelezen" });
      assert.equal((await parsed.locator(".utrecht-data-list__item-value").textContent()).trim(), "60000");
      // In the history: who, what, and what came of it.
      const entry = page
        .getByRole("region", { name: "Eerdere uploads" })
        .getByRole("row")
        .filter({ hasText: "2026-12-01-scan_rdp-nl-groot.csv" });
      await entry.getByText(kAnalyst.email).waitFor();
      await entry.getByText("60000 gelezen, 1 toegewezen, 59999 niet toegewezen").waitFor();
      await checkPage(page, "analyst-upload-result", { folder: screenshots });
    }, screenshots));

  test("an upload can be cancelled while it is sent, and nothing of it is stored", () =>
    withPage(browser, "upload cancel", async (page) => {
      const file = rdpReport("2026-12-02-scan_rdp-nl-afgebroken.csv", 60_000);
      await signIn(page, world.url, kAnalyst);
      await page.goto(`${world.url}/upload`);
      await page.getByLabel("Bestand", { exact: true }).setInputFiles(file);
      // About forty seconds for the whole file: long enough to press cancel in the middle.
      const cdp = await throttleUploads(page, 100_000);
      await page.getByRole("button", { name: "Uploaden en verwerken" }).click();
      await page.getByText(/^Verstuurd: [1-9]\d?% /).waitFor({ timeout: 30_000 });
      await checkPage(page, "analyst-upload-sending", { folder: screenshots });
      await page.getByRole("button", { name: "Versturen afbreken" }).click();
      await page.getByText("Het versturen van 2026-12-02-scan_rdp-nl-afgebroken.csv is afgebroken.").waitFor();
      await cdp.detach();
      assert.equal(await page.locator("#upload-progress").count(), 0);
      await page.getByRole("button", { name: "Uploaden en verwerken" }).waitFor();
      const { body } = await apiInPage(page, "/audit?limit=1000");
      assert.equal(
        body.entries.filter((entry) => entry.object.includes("afgebroken")).length,
        0,
        "the cancelled file was ingested",
      );
      const { body: events } = await apiInPage(page, "/events?unrouted=true&limit=1");
      assert.ok(events, "the events are readable after the cancel");
    }, screenshots));

  test("an unrecognised file is an error, not zeros; with its report type chosen it is read", () =>
    withPage(browser, "upload unrecognised", async (page) => {
      const list = join(world.dir, "adressen.csv");
      writeFileSync(list, "naam,adres\nWebserver,192.0.2.80\n");
      await signIn(page, world.url, kAnalyst);
      await page.goto(`${world.url}/upload`);
      await page.getByLabel("Bestand", { exact: true }).setInputFiles(list);
      await page.getByRole("button", { name: "Uploaden en verwerken" }).click();
      const refusal = page.getByRole("alert").filter({ hasText: "adressen.csv is niet verwerkt" });
      // The server's coded reason (feed.unrecognised), in Dutch from i18n/problems.json.
      await refusal.getByText("passen bij geen enkel Shadowserver-rapporttype", { exact: false }).waitFor();
      assert.equal(await page.getByText("Gelezen", { exact: true }).count(), 0, "a summary of zeros is shown");
      assert.equal(await page.getByText("--report").count(), 0, "the command line's flag is named");
      await page
        .getByRole("region", { name: "Eerdere uploads" })
        .getByRole("row")
        .filter({ hasText: "adressen.csv" })
        .getByText("niet verwerkt: Baken kon het bestand niet lezen")
        .waitFor();
      await checkPage(page, "analyst-upload-unrecognised", { folder: screenshots });

      // A report whose name says nothing and whose few columns fit many report types: read
      // once the analyst says which it is.
      const rdp = join(world.dir, "export.csv");
      writeFileSync(rdp, "timestamp,ip,port\n2026-12-03 10:00:00,192.0.2.81,3389\n");
      await page.getByLabel("Bestand", { exact: true }).setInputFiles(rdp);
      await page.getByRole("button", { name: "Uploaden en verwerken" }).click();
      await page.getByRole("alert").filter({ hasText: "export.csv is niet verwerkt" }).waitFor();
      await page.getByLabel("Soort rapport").selectOption("scan_rdp");
      await page.getByRole("button", { name: "Uploaden en verwerken" }).click();
      await page.getByRole("heading", { level: 2, name: "Resultaat" }).waitFor();
      const routed = page.locator(".utrecht-data-list__item").filter({ hasText: "Toegewezen aan een lid" });
      assert.equal((await routed.locator(".utrecht-data-list__item-value").textContent()).trim(), "1");
    }, screenshots));

  test("a member imports a Dutch inventory spreadsheet, from the template, and exports it again", () =>
    withPage(browser, "dutch inventory", async (page) => {
      await signIn(page, world.url, kMember);
      await page.getByRole("navigation").getByRole("link", { name: "Uw gegevens" }).click();
      await page.getByRole("heading", { level: 2, name: "ICT-middelen" }).waitFor();
      await page.getByText("Naam;Leverancier;Product;Versie;Belang;Aan internet;CPE;PURL").first().waitFor();

      const [template] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Sjabloon downloaden (CSV)" }).click(),
      ]);
      assert.equal(template.suggestedFilename(), "inventaris-sjabloon.csv");
      const templateText = readFileSync(await template.path(), "utf8");
      assert.ok(
        templateText.startsWith("\uFEFFNaam;Leverancier;Product;Versie;Belang;Aan internet;CPE;PURL\r\n"),
        JSON.stringify(templateText.slice(0, 80)),
      );

      // Filled in the way a Dutch spreadsheet saves it: the template's header, Dutch words.
      const filled = join(world.dir, "inventaris-amsterdam.csv");
      writeFileSync(
        filled,
        templateText.split("\r\n")[0] +
          "\r\nGemeentesite;Acme;CMS;4.2;hoog;ja;;\r\nZaaksysteem;Zaakwerk;Zaken;1.0;kritiek;nee;;\r\nIntranet;Acme;Wiki;7;laag;nee;;\r\n",
      );
      await page.getByLabel("Inventaris importeren (CSV)").setInputFiles(filled);
      await page.getByRole("button", { name: "Importeren", exact: true }).click();
      const dialog = page.getByRole("alertdialog", { name: "Inventaris vervangen?" });
      await dialog.getByText("door de 3 uit inventaris-amsterdam.csv").waitFor();
      await dialog.getByRole("button", { name: "Vervangen" }).click();
      await page.getByText("De inventaris uit inventaris-amsterdam.csv is geïmporteerd.").waitFor();
      const site = page.getByRole("row").filter({ hasText: "Gemeentesite" });
      await site.getByRole("cell", { name: "hoog", exact: true }).waitFor();
      await site.getByRole("cell", { name: "Ja", exact: true }).waitFor();
      await page.getByRole("row").filter({ hasText: "Zaaksysteem" }).getByRole("cell", { name: "kritiek", exact: true }).waitFor();
      const { body: assets } = await apiInPage(page, "/members/GM0363/assets");
      assert.deepEqual(
        assets.map((asset) => [asset.name, asset.criticality, asset.internet_facing ?? false]),
        [
          ["Gemeentesite", "high", true],
          ["Zaaksysteem", "critical", false],
          ["Intranet", "low", false],
        ],
      );
      await checkPage(page, "member-data-inventory", { rowActions: true, folder: screenshots });

      // The export reads back as it was imported.
      const [exported] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Inventaris exporteren (CSV)" }).click(),
      ]);
      assert.equal(exported.suggestedFilename(), "inventaris-GM0363.csv");
      const exportedText = readFileSync(await exported.path(), "utf8");
      assert.ok(exportedText.includes("\r\nGemeentesite;Acme;CMS;4.2;hoog;ja;;\r\n"), exportedText);
      assert.ok(exportedText.includes("\r\nZaaksysteem;Zaakwerk;Zaken;1.0;kritiek;nee;;\r\n"), exportedText);
    }, screenshots));
});
