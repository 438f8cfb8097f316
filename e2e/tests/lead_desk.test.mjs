// Issue 16 in the browser: the lead's desk. Tickets received over the past month (the real
// `hotro bench seed`, so some deadlines really passed) make the server's own SLA timers fire
// breaches at start; the customer care lead opens "Bàn trưởng phòng" from the header, sees the
// open work by agent and the breach with what to do, picks it, hands it to an agent with a
// reason, and reads what happened; the ticket's timeline names the new holder and the reason.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startHotro, launchBrowser, signIn, shot, cli, policyViolations } from "../lib/hotro.mjs";

let hotro, browser, lead;

before(async () => {
  const data = mkdtempSync(join(tmpdir(), "hotro-e2e-desk-"));
  cli(data, ["migrate"]);
  // Fixed seed: the same tickets each run, open complaints of customer care among them whose
  // resolution deadline passed days ago.
  cli(data, ["bench", "seed", "--tickets", "40", "--days", "30", "--seed", "1"]);
  hotro = await startHotro({ data });
  lead = hotro.addStaff("hoa@example.vn", "Lê Thị Hoa", "customer", "lead");
  hotro.addStaff("lan@example.vn", "Trần Thị Lan", "customer", "agent");
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await hotro?.stop();
});

test("issue 16: a lead reassigns a breached ticket from the escalation list", async () => {
  const page = await (await browser.newContext()).newPage();
  const refused = policyViolations(page);
  await signIn(page, hotro.base, lead);

  await page.getByTestId("nav-desk").click();
  await page.waitForURL(`${hotro.base}/agent/desk`);
  assert.match(await page.locator("h1").innerText(), /Bàn trưởng phòng/);

  // The timers run every few seconds from the start: wait for the breaches to be listed.
  const breach = page.locator('[data-testid="desk-escalation"][data-kind="breach"]').first();
  for (let i = 0; i < 30 && (await breach.count()) === 0; i++) {
    await page.waitForTimeout(1000);
    await page.reload();
  }
  assert.ok(await breach.count(), "a breach on the escalation list");
  const code = await breach.getAttribute("data-code");
  assert.match(await breach.getByTestId("desk-action").innerText(), /quá hạn/);

  // The open work by agent counts breaches too.
  const breached = await page.getByTestId("desk-breached").allInnerTexts();
  assert.ok(breached.some((n) => Number(n) > 0), `breaches by agent: ${breached}`);

  // Pick it, hand it to Lan with a reason.
  await breach.getByTestId("pick-escalation").check();
  await page.getByTestId("desk-agent").selectOption({ label: "Trần Thị Lan" });
  await page.getByTestId("desk-reason").fill("Chị Lan đã làm việc với khách này");
  await page.getByTestId("desk-submit").click();
  const result = page.getByTestId("desk-result").first();
  assert.match(await result.innerText(), new RegExp(`${code}: đã giao cho Trần Thị Lan`));
  // The escalation now shows the new holder.
  assert.match(
    await page.locator(`[data-testid="desk-escalation"][data-code="${code}"]`).first().innerText(),
    /Trần Thị Lan/,
  );
  await shot(page, "lead-desk");

  // The ticket's timeline names who holds it now, who gave it, and why.
  await page.goto(`${hotro.base}/agent/tickets/${code}`);
  const body = await page.locator("body").innerText();
  assert.match(body, /Giao cho Trần Thị Lan \(người giao: Lê Thị Hoa\)/);
  assert.match(body, /Chị Lan đã làm việc với khách này/);
  assert.deepEqual(refused, []);
});
