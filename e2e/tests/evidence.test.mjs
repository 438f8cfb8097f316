// CH-6 / SC-4: a complaint's evidence files, judged by their content, stored once, shown to
// the department's agent (pictures previewed) and to the customer; forbidden files refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startHotro, launchBrowser, signIn, shot } from "../lib/hotro.mjs";

let hotro, browser, agent;

before(async () => {
  hotro = await startHotro();
  agent = hotro.addStaff("lan@example.vn", "Trần Thị Lan", "customer", "agent");
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await hotro?.stop();
});

// A 1×1 PNG and a tiny PDF, made here rather than downloaded.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

async function fillComplaint(page) {
  await page.getByLabel(/Họ và tên/).fill("Nguyễn Văn An");
  await page.getByLabel(/^E-mail/).fill("an@example.vn");
  await page.getByLabel(/Tiêu đề/).fill("Hóa đơn tính sai");
  await page.getByLabel(/^Nội dung/).fill("Hóa đơn tháng 10 tính gấp đôi.");
  await page.getByLabel(/Ngày xảy ra/).fill("2026-11-01");
}

test("CH-6: evidence files travel with the complaint; hostile files are refused", async () => {
  const customer = await browser.newPage();
  await customer.goto(`${hotro.base}/new/complaint`);
  await fillComplaint(customer);
  // An HTML page named like a PDF is refused by its content, and the form kept.
  await customer.locator("#attachments").setInputFiles([
    { name: "hoa-don.pdf", mimeType: "application/pdf", buffer: Buffer.from("<html><script>alert(1)</script>") },
  ]);
  await customer.getByTestId("submit").click();
  assert.match(await customer.locator("#attachments-error").innerText(), /Loại tệp/);
  assert.equal(await customer.getByLabel(/Tiêu đề/).inputValue(), "Hóa đơn tính sai");

  await customer.locator("#attachments").setInputFiles([
    { name: "hóa đơn tháng 10.pdf", mimeType: "application/pdf", buffer: PDF },
    { name: "../../ảnh chụp.png", mimeType: "image/png", buffer: PNG },
  ]);
  await customer.getByTestId("submit").click();
  await customer.waitForSelector("[data-testid=confirmation]");
  const code = await customer.getByTestId("code").innerText();
  const files = customer.getByTestId("file");
  assert.equal(await files.count(), 2);
  assert.deepEqual(await files.allInnerTexts(), ["hóa đơn tháng 10.pdf", "ảnh chụp.png"]);
  const pdf = await customer.request.get(await files.first().getAttribute("href", { timeout: 2000 }).then((h) => `${hotro.base}${h}`));
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()["content-type"], "application/pdf");
  assert.equal(pdf.headers()["x-content-type-options"], "nosniff");
  assert.deepEqual(Buffer.from(await pdf.body()), PDF);

  // The agent sees the files, the picture previewed.
  const staff = await browser.newPage();
  await signIn(staff, hotro.base, agent);
  await staff.goto(`${hotro.base}/agent/tickets/${code}`);
  assert.equal(await staff.getByTestId("file").count(), 2);
  const preview = staff.locator("img[alt='ảnh chụp.png']");
  await preview.waitFor();
  assert.equal(await preview.evaluate((img) => img.naturalWidth), 1);
  await shot(staff, "agent-ticket-evidence");

  // Another department's agent cannot fetch the file even with its address.
  const other = await browser.newPage();
  await signIn(other, hotro.base, hotro.addStaff("minh@example.vn", "Phạm Minh", "sales"));
  const href = await staff.getByTestId("file").first().getAttribute("href");
  assert.equal((await other.request.get(`${hotro.base}${href}`)).status(), 404);
});
