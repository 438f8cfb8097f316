// End-to-end flows in a real browser (issue: web). A customer files a complaint, the agent
// sees it arrive without reloading, answers under the reply rules, and the customer reads
// the answer; a walk-in with its printed slip; the English locale; hostile input shown as
// text; a forged form refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startHotro, launchBrowser, signIn, shot, policyViolations } from "../lib/hotro.mjs";

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

test("CH-2/TR-2/CP-1/CP-4: complaint → live queue → reply → dispute → round 2 → accept → rating", async () => {
  const staff = await browser.newPage();
  const staffRefused = policyViolations(staff);
  await signIn(staff, hotro.base, agent);
  await shot(staff, "agent-queue-empty");

  const customer = await browser.newPage();
  const customerRefused = policyViolations(customer);
  await customer.goto(`${hotro.base}/`);
  await shot(customer, "portal-home");
  await customer.getByTestId("new-complaint").click();
  // Submitting empty keeps nothing and names every missing field beside it.
  await customer.getByLabel(/Họ và tên/).fill("Nguyễn Văn An");
  await customer.getByTestId("submit").click();
  await customer.waitForSelector(".banner.bad");
  assert.equal(await customer.getByLabel(/Họ và tên/).inputValue(), "Nguyễn Văn An");
  assert.match(await customer.locator("#subject-error").innerText(), /Bắt buộc/);
  assert.match(await customer.locator("#customer_email-error").innerText(), /e-mail/i);
  await shot(customer, "portal-complaint-errors");

  await customer.getByLabel(/^E-mail/).fill("an@example.vn");
  await customer.getByLabel(/Tiêu đề/).fill("Website ngừng hoạt động");
  await customer.getByLabel(/^Nội dung/).fill("Từ ngày 10/11 website không truy cập được.");
  await customer.getByLabel(/Ngày xảy ra/).fill("2026-11-10");
  await customer.getByTestId("submit").click();
  await customer.waitForSelector("[data-testid=confirmation]");
  const code = await customer.getByTestId("code").innerText();
  assert.match(code, /^HT-\d{4}-\d{6}$/);
  const trackingLink = await customer.getByTestId("tracking-link").innerText();
  // SL-2: the customer is told by when to expect the resolution.
  assert.match(await customer.getByTestId("expected").innerText(), /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  await shot(customer, "portal-confirmation");
  // TR-1: the link can be followed and copied in one click (copied, or selected to copy).
  assert.equal(await customer.getByTestId("tracking-link").getAttribute("href"), trackingLink);
  await customer.getByTestId("copy-link").click();
  await customer.waitForFunction(() =>
    document.querySelector("[data-testid=copy-link]").textContent === "Đã sao chép"
    || window.getSelection().toString().includes("/track/"));

  // The agent's queue shows the new ticket without a reload (Server-Sent Events).
  await staff.locator(`tr[data-code="${code}"]`).waitFor({ timeout: 10000 });
  // Each line shows its nearest deadline, coloured by state (SL-2, SL-6).
  assert.match(await staff.locator(`tr[data-code="${code}"] .badge.on_time`).innerText(), /Xác nhận/);
  await shot(staff, "agent-queue");
  await staff.getByRole("link", { name: code }).click();
  await staff.getByTestId("take").click();
  await staff.waitForURL(/done=1/);
  assert.equal(await staff.getByTestId("assignee").innerText(), "Trần Thị Lan");
  assert.match(await staff.getByTestId("clocks").innerText(), /Xác nhận[\s\S]*Giải quyết/);

  // RP-4: the composer warns while the reply is only the template, and when it is very long.
  assert.equal(await staff.locator("#warn-template").isVisible(), true);
  await staff.locator("#reply-body").fill("Kính thưa quý khách, " + "rất dài ".repeat(600));
  assert.equal(await staff.locator("#warn-template").isVisible(), false);
  assert.equal(await staff.locator("#warn-long").isVisible(), true);
  // RP-2: a reply without the greeting is refused beside the composer, text kept.
  await staff.locator("#reply-body").fill("Chào anh An, website đã hoạt động lại.");
  await staff.getByTestId("send-reply").click();
  assert.match(await staff.getByTestId("reply-error").innerText(), /Kính thưa quý khách/);
  assert.equal(await staff.locator("#reply-body").inputValue(), "Chào anh An, website đã hoạt động lại.");
  // The agent's own words kept after the refusal are not "only the template" (issue 16).
  assert.equal(await staff.locator("#warn-template").isVisible(), false);
  await staff.locator("#reply-body").fill("Kính thưa quý khách, website đã hoạt động trở lại từ 9 giờ sáng nay.");
  await staff.locator("#reply-status").selectOption("answered");
  await staff.getByTestId("send-reply").click();
  await staff.waitForURL(/done=1/);
  assert.match(await staff.getByTestId("status").innerText(), /Đã trả lời/);
  await staff.locator("#note-body").fill("Khách hàng VIP — đã gọi điện xác nhận.");
  await staff.getByRole("button", { name: "Thêm ghi chú" }).click();
  await staff.waitForURL(/done=1/);
  await shot(staff, "agent-ticket");

  // The customer sees the answer, never the internal note.
  await customer.goto(trackingLink);
  const timeline = await customer.getByTestId("timeline").innerText();
  assert.match(timeline, /website đã hoạt động trở lại/);
  assert.doesNotMatch(timeline, /VIP/);
  assert.match(await customer.getByTestId("status").innerText(), /Đã trả lời/);
  await shot(customer, "portal-tracking");

  // CP-1: the customer disputes the answer (a reason is required) → round 2.
  await customer.getByTestId("dispute").click();
  assert.match(await customer.locator("#reason-error").innerText(), /Bắt buộc/);
  await customer.locator("#reason").fill("Website vẫn chậm, tôi đề nghị bồi thường.");
  await customer.getByTestId("dispute").click();
  await customer.waitForURL(/done=1/);
  assert.match(await customer.getByTestId("status").innerText(), /Khách chưa đồng ý/);
  await shot(customer, "portal-disputed");

  await staff.goto(`${hotro.base}/agent/tickets/${code}`);
  assert.match(await staff.getByTestId("timeline").innerText(), /bồi thường/);
  await staff.getByTestId("status-select").selectOption("in_progress");
  await staff.getByTestId("change-status").click();
  await staff.waitForURL(/done=1/);
  assert.match(await staff.getByTestId("status").innerText(), /Vòng 2/);
  await staff.locator("#reply-body").fill("Kính thưa quý khách, chúng tôi hoàn lại phí dịch vụ tháng 11.");
  await staff.locator("#reply-status").selectOption("answered");
  // CP-2: the answer proposes the outcome the customer's acceptance records.
  await staff.getByTestId("proposed-outcome").selectOption("refund");
  await staff.getByTestId("proposed-amount").fill("500000");
  await staff.getByTestId("send-reply").click();
  await staff.waitForURL(/done=1/);

  // The customer sees the proposal, accepts, rates the resolution, and sees the thanks (CP-4).
  await customer.goto(trackingLink);
  assert.match(await customer.getByTestId("proposed-outcome").innerText(), /500[.,]000/);
  await customer.getByTestId("accept").click();
  await customer.waitForURL(/done=1/);
  assert.match(await customer.getByTestId("status").innerText(), /Đã giải quyết/);
  assert.match(await customer.getByTestId("timeline").innerText(), /Kết quả xử lý\n/);
  await customer.getByTestId("rate").click();
  assert.match(await customer.locator("#score-error").innerText(), /1 đến 5/);
  await customer.getByTestId("score-5").check();
  await customer.locator("#comment").fill("Xử lý nhanh, cảm ơn.");
  await customer.getByTestId("rate").click();
  await customer.waitForURL(/done=1/);
  assert.match(await customer.getByTestId("rated").innerText(), /5\/5/);
  await shot(customer, "portal-rated");

  // A wrong secret shows nothing about the ticket.
  const wrong = await customer.goto(trackingLink.replace(/secret=[0-9a-f]+/, "secret=00"));
  assert.equal(wrong.status(), 404);
  assert.doesNotMatch(await customer.content(), /Website ngừng hoạt động/);
  // Every page of the flow ran under the security policy without anything refused.
  assert.deepEqual(staffRefused, []);
  assert.deepEqual(customerRefused, []);
});

test("CH-4: a walk-in is recorded and its reception slip printed", async () => {
  const page = await browser.newPage();
  const refused = policyViolations(page);
  await signIn(page, hotro.base, agent);
  await page.goto(`${hotro.base}/agent/new`);
  await page.locator("#channel").selectOption("walk_in");
  await page.locator("#kind").selectOption("request");
  await page.getByLabel(/Họ và tên/).fill("Lê Thị Cúc");
  await page.getByLabel(/Địa chỉ/).fill("45 Hai Bà Trưng, Hà Nội");
  await page.getByLabel(/Tiêu đề/).fill("In lại hợp đồng");
  await page.getByLabel(/^Nội dung/).fill("Khách đến văn phòng đề nghị in lại hợp đồng số 12/2026.");
  await page.locator("#topic").selectOption("contract_transfer");
  await shot(page, "agent-intake");
  await page.getByTestId("submit").click();
  await page.getByTestId("slip").waitFor();
  const slip = await page.getByTestId("slip").innerText();
  assert.match(slip, /PHIẾU TIẾP NHẬN/);
  assert.match(slip, /Lê Thị Cúc/);
  assert.match(slip, /Trần Thị Lan/);
  // The print button works from its script file (no inline handler under the policy).
  await page.evaluate(() => { window.print = () => { window.__printed = true; }; });
  await page.locator("[data-print]").click();
  assert.equal(await page.evaluate(() => window.__printed), true);
  await page.emulateMedia({ media: "print" });
  await shot(page, "reception-slip");
  const pdf = await page.pdf({ format: "A5" });
  assert.ok(pdf.length > 1000);
  assert.deepEqual(refused, []);
});

test("the English locale, chosen by the reader", async () => {
  const page = await browser.newPage();
  await page.goto(`${hotro.base}/`);
  await page.getByTestId("lang").click();
  assert.match(await page.locator("h1").innerText(), /Customer support/);
  await page.getByTestId("new-feedback").click();
  assert.match(await page.locator("h1").innerText(), /Product feedback/);
  await page.getByTestId("submit").click();
  assert.match(await page.locator("#customer_name-error").innerText(), /Required/);
  await shot(page, "portal-feedback-english");
});

test("SC-4: HTML from a customer is shown as text; forged forms are refused", async () => {
  const customer = await browser.newPage();
  await customer.goto(`${hotro.base}/new/request`);
  await customer.getByLabel(/Họ và tên/).fill("<b>Kẻ xấu</b>");
  await customer.getByLabel(/^E-mail/).fill("x@example.vn");
  await customer.getByLabel(/Tiêu đề/).fill("<img src=x onerror=\"window.__xss=1\">");
  await customer.getByLabel(/^Nội dung/).fill("<script>window.__xss=2</script>");
  await customer.getByTestId("submit").click();
  await customer.waitForSelector("[data-testid=confirmation]");
  const code = await customer.getByTestId("code").innerText();

  const staff = await browser.newPage();
  await signIn(staff, hotro.base, hotro.addStaff("minh@example.vn", "Phạm Minh", "customer"));
  await staff.goto(`${hotro.base}/agent/tickets/${code}`);
  assert.equal(await staff.evaluate(() => window.__xss), undefined);
  assert.match(await staff.locator("h1").innerText(), /<img src=x/);
  assert.match(await staff.getByTestId("timeline").innerText(), /<script>window.__xss=2<\/script>/);
  await staff.goto(`${hotro.base}/agent`);
  assert.equal(await staff.evaluate(() => window.__xss), undefined);

  // A form posted from elsewhere, without the token, changes nothing.
  const forged = await staff.request.post(`${hotro.base}/agent/tickets/${code}/take`, { form: { x: "1" } });
  assert.equal(forged.status(), 403);
  const anon = await customer.request.post(`${hotro.base}/new/request`, { form: { subject: "x" } });
  assert.equal(anon.status(), 403);
});

test("RP-3: the workspace asks another department, which answers from its queue", async () => {
  const care = await browser.newPage();
  await signIn(care, hotro.base, agent);
  await care.goto(`${hotro.base}/agent/new`);
  await care.locator("#channel").selectOption("phone");
  await care.locator("#kind").selectOption("request");
  await care.getByLabel(/Họ và tên/).fill("Đỗ Văn Bình");
  await care.getByLabel(/Số điện thoại/).fill("0912 345 678");
  await care.getByLabel(/Tiêu đề/).fill("Kiểm tra yêu cầu chuyển hợp đồng");
  await care.getByLabel(/^Nội dung/).fill("Khách hỏi tình trạng hồ sơ chuyển hợp đồng.");
  await care.locator("#topic").selectOption("contract_transfer");
  await care.getByTestId("submit").click();
  // TR-1: a caller's intake answers with the code and link to read out, then the ticket.
  await care.getByTestId("open-ticket").click();
  await care.locator("#consult-department").selectOption("sales");
  await care.locator("#question").fill("Công nợ của khách đã thanh toán đủ chưa?");
  await care.getByTestId("consult").click();
  await care.waitForURL(/done=1/);

  const sales = await browser.newPage();
  await signIn(sales, hotro.base, hotro.addStaff("hung@example.vn", "Lý Văn Hùng", "sales"));
  const box = sales.getByTestId("consultations");
  assert.match(await box.innerText(), /Công nợ của khách đã thanh toán đủ chưa\?/);
  await box.getByRole("textbox").first().fill("Đã thanh toán đủ ngày 15/11.");
  await box.getByTestId("answer-consultation").first().click();
  await sales.waitForURL(/done=1/);
  assert.equal(await sales.getByTestId("consultations").count(), 0);

  await care.reload();
  assert.match(await care.getByTestId("timeline").innerText(), /Đã thanh toán đủ ngày 15\/11/);
  await shot(care, "agent-consultation");
});
