// PL-3 in the browser: the installation ran an earlier policy version; when the new one comes
// into force, an agent who worked under the old one is stopped before answering, reads the
// policy, confirms, and answers.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { startHotro, launchBrowser, signIn, shot, BIN, policyViolations } from "../lib/hotro.mjs";

let hotro, browser, agent;

before(async () => {
  // Last year's version, then this one: the staff were added under the old one.
  const builtin = execFileSync(BIN, ["policy", "show"], { encoding: "utf8" });
  const version = builtin.match(/^version = "([^"]+)"/m)[1];
  const old = builtin.replace(`version = "${version}"`, 'version = "2025.1"');
  const first = await startHotro({ policy: old, keep: true });
  agent = first.addStaff("lan@example.vn", "Trần Thị Lan", "customer", "agent");
  await first.stop();
  await new Promise((ok) => setTimeout(ok, 1100));
  hotro = await startHotro({ data: first.data });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await hotro?.stop();
});

test("PL-3: an agent is stopped by policy.unread, reads, confirms, replies", async () => {
  const r = await fetch(`${hotro.base}/api/v1/public/tickets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      kind: "complaint",
      customer: { name: "Nguyễn Văn An", email: "an@example.vn" },
      subject: "Website ngừng hoạt động",
      description: "Từ ngày 10/11 website của công ty tôi không truy cập được.",
      incident_date: "2026-11-10",
      complaint_category: "service_quality",
    }),
  });
  assert.equal(r.status, 201);
  const { code } = await r.json();

  const page = await browser.newPage();
  const refused = policyViolations(page);
  await signIn(page, hotro.base, agent);
  await page.goto(`${hotro.base}/agent/tickets/${code}`);
  // An answer before confirming is refused, the words kept, the rule named.
  await page.locator("#reply-body").fill("Kính thưa quý khách, website đã hoạt động trở lại.");
  await page.getByTestId("send-reply").click();
  await page.getByTestId("policy-unread").waitFor();
  assert.match(await page.locator("main").innerText(), /Chính sách dịch vụ đã có phiên bản mới/);
  assert.equal(await page.locator("#reply-body").inputValue(),
    "Kính thưa quý khách, website đã hoạt động trở lại.");
  await shot(page, "policy-unread");

  // The link opens the published policy; the button records the confirmation.
  assert.equal(await page.getByTestId("policy-read").getAttribute("href"), "/policy");
  await page.getByTestId("policy-confirm").click();
  await page.waitForURL(`${hotro.base}/agent/tickets/${code}`);
  assert.equal(await page.getByTestId("policy-unread").count(), 0);
  await page.locator("#reply-body").fill("Kính thưa quý khách, website đã hoạt động trở lại.");
  await page.getByTestId("send-reply").click();
  await page.waitForURL(/done=1/);
  assert.match(await page.getByTestId("timeline").innerText(), /website đã hoạt động trở lại/);
  assert.deepEqual(refused, []);
});
