// The piket roster in the portal, end to end (issue 16, decision 0019): an analyst creates a
// rotation with a colleague in it and sees the colleague on duty now; the analyst takes over the colleague's shift with an override and
// is then on duty, marked as an override; cancelled, the colleague is back; the rotation is
// changed (a participant added, weekly instead of daily); the scheduled jobs' page shows the
// server's retention run. Debian's Chromium
// against a real `baken serve` on loopback; axe at 1440 and 360 px.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { apiInPage, checkPage, signIn, withPage } from "./pages.mjs";

const kAnalyst = { email: "anna@cert.example.nl", password: "lang genoeg wachtwoord 1" };
const kColleague = { email: "bram@cert.example.nl", password: "lang genoeg wachtwoord 2" };
const screenshots = join(artifactsDir, "oncall");

let world;
let browser;

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/advisories/members.json")]);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  world.addUser(kColleague.email, "analyst", null, kColleague.password);
  // With the scheduled jobs: the page of their runs is tested here too.
  await world.serve({ jobs: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const reports = await stopAll();
  assert.deepEqual(reports, [], "a sanitizer reported a problem in a process the tests ran");
});

// Today and tomorrow in the browser's time zone, as the date fields take them.
function localDays(page) {
  return page.evaluate(() => {
    const pad = (n) => String(n).padStart(2, "0");
    const day = (at) => `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
    const now = new Date();
    return { yesterday: day(new Date(now.getTime() - 86_400_000)), today: day(now), tomorrow: day(new Date(now.getTime() + 86_400_000)) };
  });
}

describe("on call", () => {
  test("an analyst sees who is on duty, takes over the shift and gives it back", () =>
    withPage(
      browser,
      "oncall-duty",
      async (page) => {
        await signIn(page, world.url, kAnalyst);
        await page.getByRole("navigation").getByRole("link", { name: "Piket" }).click();
        await page.getByRole("heading", { level: 1, name: "Piket" }).waitFor();
        await page.getByText("Er is nog geen rooster. Maak hieronder een rooster aan.").waitFor();

        // A daily piket, bram alone in it, from yesterday: bram is on duty now, always.
        const days = await localDays(page);
        const form = page.getByRole("region", { name: "Nieuw rooster" });
        await form.getByLabel("Naam").fill("IBD-piket");
        await form.getByLabel("Dienst wisselt").selectOption("daily");
        await form.getByLabel("Eerste dag").fill(days.yesterday);
        await form.getByLabel("Deelnemers, op volgorde").fill(kColleague.email);
        await form.getByRole("button", { name: "Rooster aanmaken" }).click();
        await page.getByText("Het rooster is aangemaakt.").waitFor();
        const now = page.getByRole("table", { name: "Nu dienst" });
        await now.getByRole("row").filter({ hasText: "IBD-piket" }).getByText(kColleague.email).waitFor();
        await page.getByText("Er is steeds iemand in dienst.").waitFor();

        // An office rotation with nobody in it leaves no gap while the piket covers every hour.
        const created = await apiInPage(page, "/rosters", "POST", {
          name: "Kantoor",
          shift: "daily",
          start_date: days.yesterday,
          coverage: "office_hours",
          participants: [],
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const duty = (await apiInPage(page, "/rosters/duty?days=7")).body;
        assert.ok(duty.gaps.length === 0, "the piket covers always, so no gap at all");
        await checkPage(page, "oncall-roster", { folder: screenshots });

        // Anna takes over from today 00:00 to tomorrow 23:00.
        const override = page.getByRole("region", { name: "Dienst overnemen" });
        await override.getByLabel("Rooster").selectOption({ label: "IBD-piket" });
        assert.equal(await override.getByLabel("Wie").inputValue(), kAnalyst.email);
        const from = override.getByRole("group", { name: "Van" });
        await from.getByLabel("Datum").fill(days.today);
        await from.getByLabel("Tijd").fill("00:00");
        const to = override.getByRole("group", { name: "Tot" });
        await to.getByLabel("Datum").fill(days.tomorrow);
        await to.getByLabel("Tijd").fill("23:00");
        await override.getByLabel("Reden").fill("ik neem de dienst van Bram over");
        await override.getByRole("button", { name: "Vervanging vastleggen" }).click();
        await page.getByText("De vervanging is vastgelegd.").waitFor();
        const row = now.getByRole("row").filter({ hasText: "IBD-piket" });
        await row.getByText(kAnalyst.email).waitFor();
        await row.getByText("vervanging").waitFor();
        await page.getByRole("table", { name: "Vervangingen" }).getByText("ik neem de dienst van Bram over").waitFor();
        await checkPage(page, "oncall-override", { folder: screenshots });

        // Given back.
        await page.getByRole("button", { name: "Vervanging intrekken" }).click();
        await page.getByText("De vervanging is ingetrokken.").waitFor();
        await row.getByText(kColleague.email).waitFor();
        await page.getByText("Geen vervangingen in deze dagen.").waitFor();

        // The rotation changed: anna joins it, and it changes weekly from now on.
        const rotations = page.getByRole("table", { name: "Roosters" });
        assert.match(await rotations.getByRole("row").filter({ hasText: "IBD-piket" }).innerText(), /dagelijks om 09:00/);
        await page.getByRole("button", { name: "Rooster IBD-piket wijzigen" }).click();
        const edit = page.getByRole("region", { name: "Rooster IBD-piket wijzigen" });
        assert.equal(await edit.getByLabel("Deelnemers, op volgorde").inputValue(), kColleague.email);
        await edit.getByLabel("Deelnemers, op volgorde").fill(`${kColleague.email}, ${kAnalyst.email}`);
        await edit.getByLabel("Dienst wisselt").selectOption("weekly");
        await edit.getByRole("button", { name: "Wijzigingen opslaan" }).click();
        await page.getByText("Het rooster is gewijzigd.").waitFor();
        const changed = rotations.getByRole("row").filter({ hasText: "IBD-piket" });
        await changed.getByText(`${kColleague.email}, ${kAnalyst.email}`).waitFor();
        assert.match(await changed.innerText(), /wekelijks op \w+dag om 09:00/);
        await checkPage(page, "oncall-rotations", { folder: screenshots });
      },
      screenshots,
    ));

  test("an analyst sees the scheduled jobs and how their last runs went", () =>
    withPage(
      browser,
      "oncall-jobs",
      async (page) => {
        await signIn(page, world.url, kAnalyst);
        await page.getByRole("navigation").getByRole("link", { name: "Geplande taken" }).click();
        await page.getByRole("heading", { level: 1, name: "Geplande taken" }).waitFor();
        // The server ran retention when it started (no mail server here, so no notify job).
        const jobs = page.getByRole("table", { name: "Taken" });
        const retention = jobs.getByRole("row").filter({ hasText: "Oude bevindingen opruimen" });
        await retention.waitFor();
        assert.equal(await jobs.getByRole("row").filter({ hasText: "Berichten maken en versturen" }).count(), 0);
        assert.doesNotMatch(await retention.innerText(), /nog nooit/);
        const runs = page.getByRole("table", { name: "Laatste uitvoeringen" });
        await runs.getByRole("row").filter({ hasText: "Oude bevindingen opruimen" }).getByText("gelukt").waitFor();
        await checkPage(page, "oncall-jobs", { folder: screenshots });
      },
      screenshots,
    ));
});
