// What members asked for, end to end: a warning a CISO acts on (marked handled from the list,
// its detail with the version found against the fixed one, a state with a note, and the real
// state in the analysts' list), and changing one's password, which ends the user's other
// sessions, and ending a session from the Account page. Debian's Chromium against a real
// `baken serve` on loopback. Members from tests/data/advisories/members.json: Amsterdam
// (GM0363) runs CVRF-CSAF-Converter 1.0.0-rc1, which BSI-2022-0001 says rc2 fixes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { apiInPage, checkPage, openPage, signIn, withPage } from "./pages.mjs";

const kMember = { email: "soc@amsterdam.example.nl", password: "lang genoeg wachtwoord 1" };
const kAnalyst = { email: "analist@cert.example.nl", password: "lang genoeg wachtwoord 2" };
const kChanger = { email: "ciso@amsterdam.example.nl", password: "lang genoeg wachtwoord 3" };
const folder = join(artifactsDir, "members");

let world;
let browser;

before(async () => {
  mkdirSync(folder, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/advisories/members.json")]);
  world.addUser(kMember.email, "member", "GM0363", kMember.password);
  world.addUser(kChanger.email, "member", "GM0363", kChanger.password);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  world.baken([
    "advisory",
    "import",
    join(sourceDir, "tests/data/advisories/csaf/bsi-2022-0001.json"),
    join(sourceDir, "tests/data/advisories/csaf/2022-evd-uc-06-001.json"),
  ]);
  await world.startSmtp();
  world.baken(["notify", "--smtp", world.smtpUrl, "--retry-seconds", "0"]);
  await world.serve();
  browser = await launchBrowser();
});

after(async () => {
  const reports = await stopAll();
  assert.deepEqual(reports, [], "a sanitizer reported a problem in a process the tests ran");
});

describe("what members asked for", () => {
  test("a member marks a warning handled from the list, and notes why on its page", () =>
    withPage(
      browser,
      "member marks a warning handled",
      async (page) => {
        await signIn(page, world.url, kMember);
        await page.getByRole("navigation").getByRole("link", { name: "Kwetsbaarheden" }).click();
        await page.getByRole("heading", { level: 2, name: "2 waarschuwingen" }).waitFor();
        await checkPage(page, "member-warnings", { rowActions: true, folder });

        await page.getByRole("button", { name: "Markeer BSI-2022-0001 als afgehandeld" }).click();
        await page.getByText("BSI-2022-0001 is gemarkeerd als afgehandeld.").waitFor();
        const row = page.getByRole("row").filter({ hasText: "BSI-2022-0001" });
        await row.getByText("afgehandeld", { exact: true }).waitFor();
        await row.getByRole("button", { name: "Zet BSI-2022-0001 weer open" }).waitFor();
        const stored = await apiInPage(page, "/warnings?state=handled");
        assert.equal(stored.body.total, 1);
        assert.equal(stored.body.warnings[0].advisory, "BSI-2022-0001");
        assert.equal(stored.body.warnings[0].state_by, `user:${kMember.email}`);

        // The filter asks the server: only the open one is left.
        await page.getByLabel("Status", { exact: true }).selectOption("open");
        await page.getByRole("button", { name: "Filteren" }).click();
        await page.getByRole("heading", { level: 2, name: "1 waarschuwing gevonden" }).waitFor();
        assert.match(page.url(), /state=open/);
        assert.equal(await page.getByRole("row").filter({ hasText: "BSI-2022-0001" }).count(), 0);

        // Its page: what it is, how bad, where to read more, the version found and the fix.
        await page.goto(`${world.url}/warnings/${stored.body.warnings[0].id}`);
        await page.getByRole("heading", { level: 2, name: "Over deze kwetsbaarheid" }).waitFor();
        await page.getByText(/resolves XML External Entities/).waitFor();
        const cve = page.getByRole("link", { name: "CVE-2022-27193 op cve.org" });
        assert.equal(await cve.getAttribute("href"), "https://www.cve.org/CVERecord?id=CVE-2022-27193");
        const asset = page.getByRole("row").filter({ hasText: "Adviesconverter" });
        await asset.getByText("1.0.0-rc1", { exact: true }).waitFor();
        await asset.getByText("1.0.0-rc2", { exact: true }).waitFor();
        await checkPage(page, "member-warning-detail", { folder });

        await page.getByLabel("Status", { exact: true }).selectOption("not_applicable");
        await page.getByLabel("Toelichting (niet verplicht)").fill("Wij gebruiken de converter niet meer.");
        await page.getByRole("button", { name: "Status opslaan" }).click();
        await page.getByText("De status is opgeslagen: niet van toepassing.").waitFor();
        await page.getByText("Toelichting: Wij gebruiken de converter niet meer.").waitFor();
      },
      folder,
    ));

  // After the test above, which set BSI-2022-0001 not applicable for Amsterdam.
  test("an analyst finds the member's state in the warnings of the menu, by member", () =>
    withPage(
      browser,
      "analyst sees warning states",
      async (page) => {
        await signIn(page, world.url, kAnalyst);
        await page.getByRole("navigation").getByRole("link", { name: "Kwetsbaarheden" }).click();
        await page.getByRole("heading", { level: 2, name: /waarschuwingen$/ }).waitFor();
        await page.getByLabel("Lid", { exact: true }).selectOption("GM0363");
        await page.getByLabel("Status", { exact: true }).selectOption("not_applicable");
        await page.getByRole("button", { name: "Filteren" }).click();
        await page.getByRole("heading", { level: 2, name: "1 waarschuwing gevonden" }).waitFor();
        const row = page.getByRole("row").filter({ hasText: "BSI-2022-0001" });
        await row.getByText("niet van toepassing", { exact: true }).waitFor();
        await checkPage(page, "analyst-warnings", { rowActions: true, folder });
      },
      folder,
    ));

  test("changing the password ends the other sessions; ending this session signs out", () =>
    withPage(
      browser,
      "member changes the password",
      async (page) => {
        // A second browser of the same user, which the change must sign out.
        const other = await openPage(browser);
        try {
          await signIn(other, world.url, kChanger);
          await signIn(page, world.url, kChanger);
          await page.getByRole("navigation").getByRole("link", { name: "Account" }).click();
          await page.getByRole("heading", { level: 2, name: "Waar u bent ingelogd" }).waitFor();
          await page.getByText("(deze browser)").waitFor();
          assert.equal((await apiInPage(page, "/session/sessions")).body.sessions.length, 2);
          await checkPage(page, "member-account", { rowActions: true, folder });

          const newPassword = "een nieuwe lange wachtzin";
          await page.getByLabel("Huidig wachtwoord", { exact: true }).fill("niet mijn wachtwoord");
          await page.getByLabel("Nieuw wachtwoord", { exact: true }).fill(newPassword);
          await page.getByLabel("Nieuw wachtwoord nogmaals", { exact: true }).fill(newPassword);
          await page.getByRole("button", { name: "Wachtwoord wijzigen" }).click();
          await page.getByText("Dit wachtwoord klopt niet.", { exact: false }).waitFor();

          await page.getByLabel("Huidig wachtwoord", { exact: true }).fill(kChanger.password);
          await page.getByLabel("Nieuw wachtwoord", { exact: true }).fill(newPassword);
          await page.getByLabel("Nieuw wachtwoord nogmaals", { exact: true }).fill(newPassword);
          await page.getByRole("button", { name: "Wachtwoord wijzigen" }).click();
          await page.getByText("Uw wachtwoord is gewijzigd. Uw andere sessies zijn beëindigd.").waitFor();

          // The other browser is signed out; the old password no longer works, the new one does.
          await other.reload();
          await other.getByRole("button", { name: "Inloggen" }).waitFor();
          await signIn(other, world.url, { email: kChanger.email, password: newPassword });

          // Ending this browser's own session signs out here, after asking.
          await page.reload();
          await page.getByText("(deze browser)").waitFor();
          const sessions = (await apiInPage(page, "/session/sessions")).body.sessions;
          assert.equal(sessions.length, 2);
          const current = sessions.find((session) => session.current);
          const row = page.getByRole("row").filter({ hasText: "(deze browser)" });
          await row.getByRole("button", { name: /^Beëindig deze sessie/ }).click();
          const dialog = page.getByRole("alertdialog");
          await dialog.getByText("U wordt hier uitgelogd.").waitFor();
          await dialog.getByRole("button", { name: "Beëindigen" }).click();
          await page.getByRole("button", { name: "Inloggen" }).waitFor();
          // The other browser's session lives on.
          const left = (await apiInPage(other, "/session/sessions")).body.sessions;
          assert.equal(left.length, 1);
          assert.notEqual(left[0].id, current.id);
        } finally {
          await other.context().close();
        }
      },
      folder,
    ));
});
