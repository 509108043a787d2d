// Suppliers in the portal, end to end (issue 15, decision 0018): an analyst adds a supplier to
// the directory with a contact and a vendor name; a member's user says its member uses it; the
// analyst sees that on the supplier's page and opens "Leverancier gehackt", which asks first
// (naming how many members take part) and then shows the new coordinating incident; the member
// finds the incident in its list. Debian's Chromium against a real `baken serve` on loopback;
// axe at 1440 and 360 px.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { apiInPage, checkPage, signIn, withPage } from "./pages.mjs";

const kMember = { email: "soc@amsterdam.example.nl", password: "lang genoeg wachtwoord 1" };
const kAnalyst = { email: "analist@cert.example.nl", password: "lang genoeg wachtwoord 2" };
const kSupplier = "Centric";
const kIncidentTitle = "Inbraak bij leverancier van het zaaksysteem";
const screenshots = join(artifactsDir, "partners");

let world;
let browser;
let partnerId;

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/advisories/members.json")]);
  world.addUser(kMember.email, "member", "GM0363", kMember.password);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  await world.serve();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const reports = await stopAll();
  assert.deepEqual(reports, [], "a sanitizer reported a problem in a process the tests ran");
});

describe("partners", () => {
  test("an analyst adds a supplier with a contact", () =>
    withPage(
      browser,
      "partners-create",
      async (page) => {
        await signIn(page, world.url, kAnalyst);
        await page.getByRole("navigation").getByRole("link", { name: "Leveranciers" }).click();
        await page.getByRole("heading", { level: 1, name: "Leveranciers en ketenpartners" }).waitFor();
        await page.getByText("Er staan nog geen leveranciers in de lijst.").waitFor();
        // A supplier needs a name; the form says so without asking the server.
        await page.getByRole("button", { name: "Toevoegen", exact: true }).click();
        await page.getByText("Geef de leverancier een naam.").waitFor();
        await page.getByLabel("Naam", { exact: true }).fill(kSupplier);
        await page.getByLabel("Leveranciersnamen in inventarissen").fill("centric, centric it");
        await page.getByRole("button", { name: "Contactpersoon toevoegen" }).click();
        await page.getByLabel("Naam contactpersoon").fill("Security desk");
        await page.getByLabel("E-mailadres").fill("security@centric.example");
        await checkPage(page, "partners-list-form", { folder: screenshots });
        await page.getByRole("button", { name: "Toevoegen", exact: true }).click();
        await page.getByRole("heading", { level: 1, name: kSupplier }).waitFor();
        partnerId = Number(/\/partners\/(\d+)$/.exec(page.url())[1]);
        const saved = (await apiInPage(page, `/partners/${partnerId}`)).body;
        assert.deepEqual(saved.vendor_names, ["centric", "centric it"]);
        assert.deepEqual(
          saved.contacts.map((contact) => [contact.name, contact.email, contact.role]),
          [["Security desk", "security@centric.example", "security"]],
        );
        await page.getByText("Geen lid gebruikt deze leverancier, voor zover bekend.").waitFor();

        await page.getByRole("navigation").getByRole("link", { name: "Leveranciers" }).click();
        const row = page.locator("main table tbody tr").filter({ hasText: kSupplier });
        assert.match(await row.innerText(), /leverancier[\s\S]*centric, centric it[\s\S]*1/);
        await checkPage(page, "partners-list", { folder: screenshots });
      },
      screenshots,
    ));

  test("a member says it uses the supplier", () =>
    withPage(
      browser,
      "partners-member",
      async (page) => {
        assert.ok(partnerId, "the create test did not run");
        await signIn(page, world.url, kMember);
        await page.getByRole("navigation").getByRole("link", { name: "Onze leveranciers" }).click();
        await page.getByRole("heading", { level: 1, name: "Onze leveranciers" }).waitFor();
        const box = page.getByLabel(`${kSupplier} (leverancier)`);
        assert.equal(await box.isChecked(), false);
        await box.check();
        await page.getByRole("button", { name: "Opslaan" }).click();
        await page.getByText("Uw keuze is opgeslagen.").waitFor();
        await page.getByText(`${kSupplier} (leverancier) — opgegeven door het lid`).waitFor();
        const used = (await apiInPage(page, "/members/GM0363/partners")).body.partners;
        assert.deepEqual(used.map((partner) => [partner.id, partner.source]), [[partnerId, "member"]]);
        // A member's user reads names and kinds only, never the supplier's contacts.
        assert.equal((await apiInPage(page, `/partners/${partnerId}`)).body.contacts, undefined);
        await checkPage(page, "partners-ours", { folder: screenshots });
      },
      screenshots,
    ));

  test("the analyst opens 'Leverancier gehackt' and the member sees the incident", async () => {
    assert.ok(partnerId, "the create test did not run");
    let incidentId;
    await withPage(
      browser,
      "partners-hacked",
      async (page) => {
        await signIn(page, world.url, kAnalyst);
        await page.goto(`${world.url}/partners/${partnerId}`);
        await page.getByRole("heading", { level: 1, name: kSupplier }).waitFor();
        const row = page.locator("main table tbody tr").filter({ hasText: "GM0363" });
        assert.match(await row.innerText(), /Gemeente Amsterdam \(GM0363\)[\s\S]*opgegeven door het lid/);
        await checkPage(page, "partner-page", { folder: screenshots });

        await page.getByLabel("Titel van het incident").fill(kIncidentTitle);
        await page.getByRole("button", { name: "Leverancier gehackt" }).click();
        const dialog = page.getByRole("alertdialog");
        await dialog.getByText("Er komt één incident met 1 deelnemend lid").waitFor();
        await dialog.getByRole("heading", { name: `Incident openen voor ${kSupplier}?` }).waitFor();
        // Cancelling opens nothing.
        await dialog.getByRole("button", { name: "Annuleren" }).click();
        assert.equal((await apiInPage(page, "/incidents")).body.total, 0);
        await page.getByRole("button", { name: "Leverancier gehackt" }).click();
        await page.getByRole("alertdialog").getByRole("button", { name: "Incident openen" }).click();
        await page.getByRole("heading", { level: 1, name: new RegExp(`^#\\d+ ${kIncidentTitle}$`) }).waitFor();
        incidentId = Number(/\/incidents\/(\d+)$/.exec(page.url())[1]);
        const incident = (await apiInPage(page, `/incidents/${incidentId}`)).body;
        assert.equal(incident.source, "partner");
        assert.deepEqual(incident.participations.map((p) => p.member), ["GM0363"]);
      },
      screenshots,
    );
    await withPage(
      browser,
      "partners-member-incident",
      async (page) => {
        await signIn(page, world.url, kMember);
        await page.getByRole("navigation").getByRole("link", { name: "Incidenten", exact: true }).click();
        await page.getByRole("heading", { level: 1, name: "Incidenten" }).waitFor();
        await page.locator("main table tbody tr").filter({ hasText: kIncidentTitle }).waitFor();
        await page.getByRole("link", { name: kIncidentTitle }).click();
        await page.getByRole("heading", { level: 1, name: kIncidentTitle }).waitFor();
        assert.ok(page.url().endsWith(`/incidents/${incidentId}`), page.url());
      },
      screenshots,
    );
  });
});
