// The piket roster in the portal, end to end (issue 16, decision 0019): an analyst creates a
// rotation with a colleague in it and sees the colleague on duty now; the analyst takes over
// the colleague's shift with an override and is then on duty, marked as an override;
// cancelled, the colleague is back; the rotation is changed (a participant added, weekly
// instead of daily); the scheduled jobs' page shows the server's retention run. Paging: an
// analyst makes an escalation policy, pages by hand, acknowledges the page in the list and
// resolves it on its own page, where its history shows; adds an SMS gateway (a webhook
// receiver on loopback), types back the code it received and sets "SMS at once, e-mail after
// 5 minutes"; a page then reaches the gateway, and its one-time link, opened without sign-in,
// acknowledges it once. Debian's Chromium against a real `baken serve` on loopback; axe at
// 1440 and 360 px.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { join } from "node:path";
import { World, artifactsDir, bakenBinary, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { apiInPage, checkPage, signIn, withPage } from "./pages.mjs";

const kAnalyst = { email: "anna@cert.example.nl", password: "lang genoeg wachtwoord 1" };
const kColleague = { email: "bram@cert.example.nl", password: "lang genoeg wachtwoord 2" };
const screenshots = join(artifactsDir, "oncall");

let world;
let browser;
let config;

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/advisories/members.json")]);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  world.addUser(kColleague.email, "analyst", null, kColleague.password);
  // With the scheduled jobs: the page of their runs is tested here too. A portal address for
  // the links in pages (the test opens the links on the test server's own address).
  config = join(world.dir, "baken.json");
  writeFileSync(config, JSON.stringify({ portal: { url: "https://baken.cert.example" } }));
  await world.serve({ jobs: true, config });
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

  test("an analyst makes a policy, pages, acknowledges the page and reads its history", () =>
    withPage(
      browser,
      "oncall-pages",
      async (page) => {
        await signIn(page, world.url, kAnalyst);
        await page.getByRole("navigation").getByRole("link", { name: "Escalatiebeleid" }).click();
        await page.getByRole("heading", { level: 1, name: "Escalatiebeleid" }).waitFor();
        const form = page.getByRole("region", { name: "Nieuw escalatiebeleid" });
        await form.getByLabel("Naam").fill("Spoed");
        const first = form.getByRole("group", { name: "Stap 1" });
        await first.getByLabel("Wie").selectOption("person");
        await first.getByLabel("Analist").fill(kAnalyst.email);
        await form.getByRole("button", { name: "Stap toevoegen" }).click();
        const second = form.getByRole("group", { name: "Stap 2" });
        await second.getByLabel("Wie").selectOption("person");
        await second.getByLabel("Analist").fill(kColleague.email);
        await form.getByLabel("Standaardbeleid").check();
        await form.getByRole("button", { name: "Beleid toevoegen" }).click();
        await page.getByText("Beleid Spoed is toegevoegd.").waitFor();
        const policies = page.getByRole("table", { name: "Beleid" });
        const row = policies.getByRole("row").filter({ hasText: "Spoed" });
        await row.getByText("standaard").waitFor();
        assert.match(await row.innerText(), new RegExp(`meteen: ${kAnalyst.email}; na 10 min: ${kColleague.email}`));
        await checkPage(page, "oncall-policies", { folder: screenshots });

        // A page by hand; it shows as open, and the analyst acknowledges it in the list.
        await page.getByRole("navigation").getByRole("link", { name: "Pagina's" }).click();
        await page.getByRole("heading", { level: 1, name: "Pagina's" }).waitFor();
        await page.getByText("Er staat geen pagina open.").waitFor();
        const call = page.getByRole("region", { name: "Iemand oproepen" });
        assert.equal(await call.getByLabel("Escalatiebeleid").inputValue(), String((await apiInPage(page, "/escalation-policies")).body.policies[0].id));
        await call.getByLabel("Ernst").selectOption("critical");
        await call.getByLabel("Waar het om gaat").fill("Ransomware bij Gemeente Amsterdam");
        await call.getByRole("button", { name: "Oproepen" }).click();
        const sent = page.getByText(/^Pagina \d+ is aangemaakt/);
        await sent.waitFor();
        const id = (await sent.innerText()).match(/Pagina (\d+)/)[1];
        const open = page.getByRole("table", { name: "Open pagina's" });
        const listed = open.getByRole("row").filter({ hasText: "Ransomware bij Gemeente Amsterdam" });
        await listed.getByText("open", { exact: true }).waitFor();
        await listed.getByText("kritiek").waitFor();
        await checkPage(page, "oncall-pages-open", { folder: screenshots, rowActions: true });
        await page.getByRole("button", { name: `Pagina ${id} bevestigen` }).click();
        await page.getByText(`Pagina ${id} is bevestigd: de escalatie stopt.`).waitFor();
        await listed.getByText("bevestigd").waitFor();
        const acknowledged = (await apiInPage(page, `/pages/${id}`)).body;
        assert.equal(acknowledged.state, "acknowledged");
        assert.equal(acknowledged.acknowledged_by, kAnalyst.email);

        // Its own page: the history, and resolving it.
        await listed.getByRole("link", { name: `Pagina ${id}` }).click();
        await page.getByRole("heading", { level: 1, name: `Pagina ${id}` }).waitFor();
        const history = page.getByRole("table", { name: "Verloop" });
        await history.getByRole("row").filter({ hasText: "aangemaakt" }).waitFor();
        const answered = history.getByRole("row").filter({ hasText: "bevestigd" });
        await answered.getByText("portal").waitFor();
        await checkPage(page, "oncall-page", { folder: screenshots });
        await page.getByRole("button", { name: `Pagina ${id} afhandelen` }).click();
        await page.getByText(`Pagina ${id} is afgehandeld.`).waitFor();
        await history.getByRole("row").filter({ hasText: "afgehandeld" }).waitFor();
        assert.equal((await apiInPage(page, `/pages/${id}`)).body.state, "resolved");
      },
      screenshots,
    ));

  test("an analyst adds an SMS gateway, and a page's one-time link acknowledges the page once", async () => {
    // The gateway: a webhook receiver on loopback that keeps what it is sent.
    const received = [];
    const gateway = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        received.push({ body: JSON.parse(body), signature: request.headers["x-baken-signature"] });
        response.writeHead(200).end();
      });
    });
    await new Promise((resolve) => gateway.listen(0, "127.0.0.1", resolve));
    const gatewayUrl = `http://127.0.0.1:${gateway.address().port}/sms`;
    try {
      let token;
      let id;
      await withPage(
        browser,
        "oncall-contact",
        async (page) => {
          await signIn(page, world.url, kAnalyst);
          await page.getByRole("navigation").getByRole("link", { name: "Mijn bereikbaarheid" }).click();
          await page.getByRole("heading", { level: 1, name: "Mijn bereikbaarheid" }).waitFor();
          await page.getByText(`E-mail gaat naar het adres van uw account: ${kAnalyst.email}.`).waitFor();
          const add = page.getByRole("region", { name: "Webhook toevoegen" });
          await add.getByLabel("Naam").fill("SMS-gateway");
          await add.getByLabel("Adres (URL)").fill(gatewayUrl);
          await add.getByRole("button", { name: "Toevoegen" }).click();
          await page.getByText("SMS-gateway is toegevoegd en er is een code heen gestuurd: vul die hierboven in.").waitFor();
          assert.equal(received.length, 1);
          assert.equal(received[0].body.type, "verification");
          assert.match(received[0].signature, /^sha256=[0-9a-f]{64}$/);
          const verify = page.getByRole("region", { name: "Contactmethoden" });
          await verify.getByLabel("Code", { exact: true }).fill(received[0].body.code);
          await verify.getByRole("button", { name: "Bevestigen", exact: true }).click();
          await page.getByText("SMS-gateway is bevestigd; u kunt het nu in uw regels gebruiken.").waitFor();
          await page.getByRole("table", { name: "Contactmethoden" }).getByText("bevestigd").waitFor();

          // SMS at once, e-mail after 5 minutes.
          const rules = page.getByRole("region", { name: "Regels" });
          const sms = rules.getByRole("group", { name: "SMS-gateway" });
          await sms.getByLabel("Gebruiken").check();
          await sms.getByLabel("Na minuten").fill("0");
          const mail = rules.getByRole("group", { name: "E-mail" });
          await mail.getByLabel("Gebruiken").check();
          await mail.getByLabel("Na minuten").fill("5");
          await rules.getByRole("button", { name: "Regels opslaan" }).click();
          await page.getByText("Uw regels zijn opgeslagen.").waitFor();
          const kept = (await apiInPage(page, "/contact-methods")).body.rules;
          assert.deepEqual(
            kept.map((rule) => [rule.channel.split(":")[0], rule.delay_minutes]),
            [
              ["webhook", 0],
              ["email", 5],
            ],
          );
          await checkPage(page, "oncall-contact", { folder: screenshots });

          // A page to the analyst: the escalate job sends it to the gateway with a link.
          const policies = (await apiInPage(page, "/escalation-policies")).body.policies;
          // (The test before made "Spoed" in the portal; alone, this test makes it itself.)
          const spoed =
            policies.find((policy) => policy.name === "Spoed") ??
            (
              await apiInPage(page, "/escalation-policies", "POST", {
                name: "Spoed",
                steps: [{ delay_minutes: 0, targets: [{ kind: "person", person: kAnalyst.email }] }],
              })
            ).body;
          const created = await apiInPage(page, "/pages", "POST", { policy: spoed.id, severity: "high", subject: "Website van Amsterdam beklad" });
          assert.equal(created.status, 201, JSON.stringify(created.body));
          id = created.body.id;
        },
        screenshots,
      );
      // Not world.baken: a synchronous run would stop this process's gateway from answering.
      await new Promise((resolve, reject) =>
        execFile(bakenBinary, ["--db", world.db, "--config", config, "job", "run", "escalate"], { timeout: 120_000 }, (error, _out, err) =>
          error ? reject(new Error(err)) : resolve(),
        ),
      );
      // (The server's own escalate run may have taken it a moment before: wait for it briefly.)
      for (let waited = 0; waited < 40 && !received.some((call) => call.body.page === id); ++waited) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const paged = received.find((call) => call.body.type === "page" && call.body.page === id);
      assert.ok(paged, `the gateway got no page: ${JSON.stringify(received)}`);
      assert.equal(JSON.stringify(paged.body).includes("Amsterdam"), false, "the page says what it is about");
      token = new URL(paged.body.link).hash.slice(1);
      assert.ok(token.length > 20);

      // Opened without sign-in, as from a phone: it shows what it answers, then acknowledges.
      await withPage(
        browser,
        "oncall-page-link",
        async (page) => {
          await page.goto(`${world.url}/page-link#${token}`);
          await page.getByRole("heading", { level: 1, name: `Pagina ${id} beantwoorden` }).waitFor();
          await page.getByText(`Deze link is voor ${kAnalyst.email} en eenmalig te gebruiken`, { exact: false }).waitFor();
          await page.getByText("Ernst hoog, bron: handmatig.", { exact: false }).waitFor();
          await checkPage(page, "oncall-page-link", { folder: screenshots });
          await page.getByRole("button", { name: "Bevestigen" }).click();
          await page.getByText(`Pagina ${id} is bevestigd: de escalatie stopt.`).waitFor();
          assert.equal(await page.getByRole("button", { name: "Bevestigen" }).count(), 0);
          // Once only: opened again, the link says it was used.
          await page.goto(`${world.url}/`);
          await page.goto(`${world.url}/page-link#${token}`);
          await page.getByText("deze link is al gebruikt; beantwoord de pagina in Baken", { exact: false }).waitFor();
        },
        screenshots,
      );
      await withPage(
        browser,
        "oncall-page-answered",
        async (page) => {
          await signIn(page, world.url, kAnalyst);
          const answered = (await apiInPage(page, `/pages/${id}`)).body;
          assert.equal(answered.state, "acknowledged");
          assert.equal(answered.acknowledged_by, kAnalyst.email);
          assert.ok(answered.history.some((event) => event.kind === "acknowledged" && event.channel === "link"));
        },
        screenshots,
      );
    } finally {
      gateway.close();
    }
  });
});
