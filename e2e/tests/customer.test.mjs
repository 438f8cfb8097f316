// Issue 16 in the browser: one person who wrote on the web, called and sent an e-mail is one
// customer; the ticket's customer card leads to their page, which lists the tickets from the
// three channels, newest first; a search by phone number finds the person.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startHotro, launchBrowser, signIn, shot, cli, policyViolations } from "../lib/hotro.mjs";

let hotro, browser, admin;

before(async () => {
  hotro = await startHotro();
  admin = hotro.addStaff("admin@example.vn", "Quản trị viên", "other", "admin");
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await hotro?.stop();
});

test("a customer page lists a person's tickets from three channels", async () => {
  // The web: a complaint with an e-mail and a national phone number.
  const r = await fetch(`${hotro.base}/api/v1/public/tickets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      kind: "complaint",
      channel: "web",
      customer: { name: "Nguyễn Văn An", email: "an@example.vn", phone: "0903 123 456" },
      subject: "Website ngừng hoạt động",
      description: "Từ ngày 10/11 website của công ty tôi không truy cập được.",
      incident_date: "2026-11-10",
      complaint_category: "service_quality",
    }),
  });
  assert.equal(r.status, 201);
  const { code: webCode } = await r.json();

  const page = await browser.newPage();
  const refused = policyViolations(page);
  await signIn(page, hotro.base, admin);
  // A call, recorded on the staff form: the number read out in international form.
  await page.goto(`${hotro.base}/agent/new`);
  await page.locator("#channel").selectOption("phone");
  await page.locator("#kind").selectOption("request");
  await page.getByLabel(/Họ và tên/).fill("Anh An");
  await page.getByLabel(/Số điện thoại/).fill("+84 903 123 456");
  await page.getByLabel(/Tiêu đề/).fill("Hỏi báo giá gói hosting");
  await page.getByLabel(/^Nội dung/).fill("Khách gọi hỏi báo giá gói hosting doanh nghiệp.");
  await page.locator("#topic").selectOption("quotation");
  await Promise.all([page.waitForNavigation(), page.getByTestId("submit").click()]);

  // An e-mail from the address in capitals, piped by the mail server.
  const raw = [
    "From: =?utf-8?B?" + Buffer.from("Nguyễn Văn An").toString("base64") + "?= <AN@EXAMPLE.VN>",
    "To: hotro@congty.vn",
    "Subject: =?utf-8?B?" + Buffer.from("Khiếu nại: chưa nhận được hóa đơn").toString("base64") + "?=",
    "Message-ID: <customer-history-1@example.vn>",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Tôi chưa nhận được hóa đơn tháng 11.",
    "",
  ].join("\r\n");
  const mailCode = cli(hotro.data, ["mail", "ingest"], raw).match(/[A-Z]+-\d{4}-\d{6}/)[0];

  await page.goto(`${hotro.base}/agent/tickets/${webCode}`);
  await page.getByTestId("customer-history").click();
  await page.getByTestId("customer-tickets").waitFor();
  const rows = page.getByTestId("customer-tickets").locator("tbody tr");
  assert.equal(await rows.count(), 3);
  assert.equal(await rows.first().getAttribute("data-code"), mailCode);
  assert.equal(await rows.last().getAttribute("data-code"), webCode);
  const text = await page.getByTestId("customer-tickets").innerText();
  for (const channel of [/E-mail/, /Điện thoại/, /Web/]) assert.match(text, channel);
  assert.match(await page.getByTestId("customer-contact").innerText(), /an@example\.vn/);
  await shot(page, "customer-history");

  // The search box finds the person by phone number, written any way.
  await page.getByTestId("header-search").fill("84 903 123 456");
  await page.getByTestId("header-search").press("Enter");
  await page.getByTestId("search-customer").click();
  await page.getByTestId("customer-tickets").waitFor();
  assert.deepEqual(refused, []);
});
