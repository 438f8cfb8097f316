// RT-2/RT-3 and TR-2 in the browser: mail piped through the real `hotro mail ingest` is placed
// by the policy's rules — a complaint is a complaint, what no rule places waits in the triage
// department marked "unclassified" — and the agent accepts or corrects the reading in one
// click; a customer who lost the link finds the ticket by its code and the contact given.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startHotro, launchBrowser, signIn, shot, cli, policyViolations } from "../lib/hotro.mjs";

let hotro, browser, care;

before(async () => {
  hotro = await startHotro();
  care = hotro.addStaff("lan@example.vn", "Trần Thị Lan", "customer", "agent");
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await hotro?.stop();
});

/** Pipes one message into `hotro mail ingest`, as the mail server does; returns its code. */
function ingest(from, id, subject, body) {
  const raw = [
    `From: ${from}`,
    `To: hotro@congty.vn`,
    `Subject: =?utf-8?B?${Buffer.from(subject).toString("base64")}?=`,
    `Message-ID: <${id}>`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    body,
    "",
  ].join("\r\n");
  const out = cli(hotro.data, ["mail", "ingest"], raw).trim();
  const code = out.match(/[A-Z]+-\d{4}-\d{6}/)?.[0];
  assert.ok(code, `mail ingest printed no code: ${out}`);
  return code;
}

test("RT-2/RT-3: mail the rules cannot place waits in triage, unclassified; the agent corrects it in one click", async () => {
  const code = ingest("Đỗ Văn Bình <binh@example.vn>", "triage-1@example.vn",
    "Xin chào", "Nhờ công ty xem giúp một việc.");
  const page = await browser.newPage();
  const blocked = policyViolations(page);
  await signIn(page, hotro.base, care);
  // The triage department is the customer department: its agent sees the mail in the queue.
  await page.locator("tr").filter({ hasText: code }).waitFor();
  await page.goto(`${hotro.base}/agent/tickets/${code}`);
  const card = page.getByTestId("classification");
  await card.getByTestId("unclassified").waitFor();
  await shot(page, "classification-unclassified");

  await card.locator("summary").click();
  await card.getByTestId("classify-kind").selectOption("request");
  await card.getByTestId("classify-topic").selectOption("contract_transfer");
  await card.locator("#classify-reason").fill("Khách hỏi chuyển hợp đồng");
  await card.getByTestId("classify-correct").click();
  await page.getByTestId("classification").getByTestId("reviewed").waitFor();
  assert.equal(await page.getByTestId("classification").getByTestId("unclassified").count(), 0);
  assert.match(await page.getByTestId("timeline").innerText(), /Khách hỏi chuyển hợp đồng/);
  await shot(page, "classification-corrected");
  assert.deepEqual(blocked, []);
});

test("RT-3/SL-4: a complaint by mail is a complaint with its clocks; accepting the reading is one click", async () => {
  const code = ingest("Lê Văn Cường <cuong@example.vn>", "triage-2@example.vn",
    "Khiếu nại tên miền: website bị sập",
    "Website của công ty tôi bị sập từ ngày 12/11/2026, đề nghị khắc phục ngay.");
  const page = await browser.newPage();
  await signIn(page, hotro.base, care);
  await page.goto(`${hotro.base}/agent/tickets/${code}`);
  const card = page.getByTestId("classification");
  assert.match(await card.getByTestId("classification-why").innerText(), /khiếu nại/i);
  assert.match(await page.locator("main").innerText(), /12\/11\/2026|2026-11-12/);
  await shot(page, "classification-complaint-by-mail");
  await card.getByTestId("classify-accept").click();
  await page.getByTestId("classification").getByTestId("reviewed").waitFor();
});

test("TR-2: a customer without the link finds the ticket by its code and e-mail; a wrong contact finds nothing", async () => {
  const code = ingest("Phan Thị Hoa <Hoa.Phan@Example.vn>", "triage-3@example.vn",
    "Khiếu nại hóa đơn", "Hóa đơn tháng 11 tính sai tiền, đề nghị hoàn tiền.");
  const page = await browser.newPage();
  const blocked = policyViolations(page);
  await page.goto(`${hotro.base}/track`);
  await page.locator("#code").fill(code);
  await page.locator("#contact").fill("someone@example.vn");
  await page.getByTestId("lookup-submit").click();
  await page.getByTestId("not-found").waitFor();
  await shot(page, "portal-lookup-not-found");

  await page.locator("#code").fill(code.toLowerCase());
  await page.locator("#contact").fill("hoa.phan@example.vn");
  await page.getByTestId("lookup-submit").click();
  await page.getByText(code).first().waitFor();
  assert.match(await page.locator("main").innerText(), /Khiếu nại hóa đơn/);
  assert.equal(await page.getByTestId("not-found").count(), 0);
  await shot(page, "portal-lookup-found");
  assert.deepEqual(blocked, []);
});
