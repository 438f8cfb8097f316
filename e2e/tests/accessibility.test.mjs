// Done-when of the web issue: the pages work on a phone screen, and the queue and the
// composer work with the keyboard alone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startHotro, launchBrowser, signIn, shot } from "../lib/hotro.mjs";

let hotro, browser, agent;

before(async () => {
  hotro = await startHotro();
  // Both requests below speak of invoices or passwords: the rules route them to sales (RT-3).
  agent = hotro.addStaff("lan@example.vn", "Trần Thị Lan", "sales", "agent");
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await hotro?.stop();
});

/** No page may scroll sideways on a phone. */
async function fitsWidth(page) {
  // A page wider than the screen makes a phone zoom out, which widens innerWidth too.
  return page.evaluate(
    () => window.innerWidth <= 391 && document.documentElement.scrollWidth <= window.innerWidth + 1,
  );
}

test("phone screen: portal form, tracking page and workspace fit a 390 px wide screen", async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await phone.newPage();
  await page.goto(`${hotro.base}/new/request`);
  assert.ok(await fitsWidth(page), "form");
  await page.getByLabel(/Họ và tên/).fill("Phan Thị Mai");
  await page.getByLabel(/Số điện thoại/).fill("0987 654 321");
  await page.getByLabel(/Tiêu đề/).fill("Không đăng nhập được");
  await page.getByLabel(/^Nội dung/).fill("Tài khoản báo sai mật khẩu dù tôi nhập đúng.");
  await page.getByTestId("submit").click();
  await page.waitForSelector("[data-testid=confirmation]");
  assert.ok(await fitsWidth(page), "tracking page");
  await shot(page, "phone-tracking");
  await signIn(page, hotro.base, agent);
  assert.ok(await fitsWidth(page), "queue");
  await shot(page, "phone-queue");
  await phone.close();
});

test("keyboard alone: open a ticket from the queue and send a reply", async () => {
  const customer = await browser.newPage();
  await customer.goto(`${hotro.base}/new/request`);
  await customer.getByLabel(/Họ và tên/).fill("Ngô Văn Tài");
  await customer.getByLabel(/^E-mail/).fill("tai@example.vn");
  await customer.getByLabel(/Tiêu đề/).fill("Hỏi về hóa đơn điện tử");
  await customer.getByLabel(/^Nội dung/).fill("Cho tôi xin hóa đơn điện tử tháng 11.");
  await customer.getByTestId("submit").click();
  await customer.waitForSelector("[data-testid=confirmation]");
  const code = await customer.getByTestId("code").innerText();

  const page = await browser.newPage();
  await signIn(page, hotro.base, agent);
  // Tab until the ticket's link has the focus, then Enter.
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement?.textContent?.trim())) === code) break;
  }
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), code);
  await page.keyboard.press("Enter");
  await page.waitForURL(new RegExp(`/agent/tickets/${code}$`));
  // Into the composer, type after the greeting, then Tab to the send button and press it.
  await page.locator("#reply-body").focus();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("hóa đơn đã được gửi vào e-mail của quý khách.");
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))) === "send-reply") break;
  }
  await page.keyboard.press("Enter");
  await page.waitForURL(/done=1/);
  assert.match(await page.getByTestId("timeline").innerText(), /hóa đơn đã được gửi vào e-mail/);
});
