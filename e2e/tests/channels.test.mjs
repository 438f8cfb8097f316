// Issue 15, items 2 and 3 (CH-3, RP-2, TR-1): the chat widget shows the ticket's code and
// tracking link after the first message and keeps them after a reload; the agent answers from
// the inline chat console without reloading, greeting once per conversation; a walk-in takes
// home a slip with the company, the code, the tracking link and its QR code and the deadlines;
// a letter is answered by a printable letter, Vietnamese then English.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { startHotro, launchBrowser, signIn, shot, policyViolations, DEFAULT_POLICY } from "../lib/hotro.mjs";

let hotro, browser, tech, care, site, siteUrl;

before(async () => {
  // The company's name and address, which the built-in policy leaves to each company.
  hotro = await startHotro({
    policy: DEFAULT_POLICY + `
[contact]
company = "Công ty Cổ phần Mạng An Phát"
hotline = "1900 6868"
address = "12 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội"
`,
  });
  tech = hotro.addStaff("khoa@example.vn", "Ngô Minh Khoa", "technical", "agent");
  care = hotro.addStaff("lan@example.vn", "Trần Thị Lan", "customer", "agent");
  browser = await launchBrowser();
  // The technical department's own page embeds the widget with its department.
  site = createServer((req, res) => {
    const ws = hotro.base.replace(/^http/, "ws");
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": `default-src 'none'; script-src ${hotro.base}; ` +
        `connect-src ${hotro.base} ${ws}; style-src 'self'; img-src 'self'`,
    });
    res.end(`<!doctype html><html lang="vi"><head><title>Hỗ trợ kỹ thuật An Phát</title></head>
      <body><h1>Hỗ trợ kỹ thuật</h1>
      <script src="${hotro.base}/widget.js" data-department="technical" data-lang="vi" async></script></body></html>`);
  });
  await new Promise((ok) => site.listen(0, "127.0.0.1", ok));
  siteUrl = `http://127.0.0.1:${site.address().port}/`;
});

after(async () => {
  await browser?.close();
  await hotro?.stop();
  site?.close();
});

test("CH-3, TR-1, RP-2: the widget keeps its code and link; the agent answers inline", async () => {
  const visitor = await browser.newPage();
  const refused = policyViolations(visitor);
  await visitor.goto(siteUrl);
  const widget = visitor.locator("[data-hotro-chat]");
  await widget.getByRole("button", { name: "Chat" }).click();
  await widget.getByLabel("Họ và tên").fill("Võ Thị Hạnh");
  await widget.getByLabel("Nhập tin nhắn…").fill("Cho tôi hỏi cách trỏ tên miền về hosting mới?");
  await widget.getByRole("button", { name: "Gửi" }).click();
  // TR-1: the code and the tracking link, shown in the widget after the first message.
  const receipt = widget.locator('[data-role="receipt"]');
  await receipt.getByText(/Mã phiếu: HT-\d{4}-\d{6}\./).waitFor();
  const code = (await receipt.innerText()).match(/HT-\d{4}-\d{6}/)[0];
  const link = await receipt.getByRole("link").getAttribute("href");
  assert.match(link, new RegExp(`/track/${code}\\?secret=[0-9a-f]+$`));
  await shot(visitor, "chat-widget-confirmation");

  // CH-3: the technical widget's chat is in the technical queue, with the inline console.
  const agent = await browser.newPage();
  const agentRefused = policyViolations(agent);
  await signIn(agent, hotro.base, tech);
  await agent.goto(`${hotro.base}/agent/tickets/${code}`);
  const consoleBox = agent.getByTestId("chat-console");
  await consoleBox.getByText("Cho tôi hỏi cách trỏ tên miền").waitFor();
  // Nothing below reloads the page: this mark would be gone.
  await agent.evaluate(() => { window.__noReload = true; });
  const box = agent.getByTestId("chat-body");
  assert.equal(await box.inputValue(), "Kính thưa quý khách, ");
  // RP-2: the first line must greet; the refusal shows under the box.
  await box.fill("Dạ, chị đổi bản ghi A của tên miền nhé.");
  await box.press("Enter");
  await agent.getByTestId("chat-error").getByText(/Kính thưa quý khách/).waitFor();
  await box.fill("Kính thưa quý khách, chị đổi bản ghi A của tên miền sang 203.0.113.7 nhé.");
  await agent.getByTestId("chat-send").click();
  await agent.getByTestId("chat-log").getByText("sang 203.0.113.7").waitFor();
  assert.equal(await box.inputValue(), "");
  assert.equal(await agent.getByTestId("chat-error").innerText(), "");
  assert.match(await agent.locator("#chat-hint").innerText(), /Đã chào khách/);
  await widget.getByText("sang 203.0.113.7", { exact: false }).waitFor();
  // A later line of the same conversation needs no greeting.
  await box.fill("Sau khoảng 30 phút là có hiệu lực ạ.");
  await box.press("Enter");
  await agent.getByTestId("chat-log").getByText("Sau khoảng 30 phút").waitFor();
  await widget.getByText("Sau khoảng 30 phút", { exact: false }).waitFor();
  // The visitor's next line arrives in the console live.
  await widget.getByLabel("Nhập tin nhắn…").fill("Cảm ơn em, chị làm được rồi.");
  await widget.getByLabel("Nhập tin nhắn…").press("Enter");
  await agent.getByTestId("chat-log").getByText("Cảm ơn em, chị làm được rồi.").waitFor({ timeout: 10000 });
  assert.equal(await agent.evaluate(() => window.__noReload), true, "no page reload");
  await shot(agent, "agent-chat-console-inline");

  // TR-1: a reload keeps the code and the link in the widget, with the whole conversation.
  await visitor.reload();
  await widget.getByRole("button", { name: "Chat" }).click();
  await receipt.getByText(`Mã phiếu: ${code}.`).waitFor();
  assert.equal(await receipt.getByRole("link").getAttribute("href"), link);
  await widget.getByText("Cảm ơn em, chị làm được rồi.").waitFor();
  await shot(visitor, "chat-widget-confirmation-resumed");
  // The link is the visitor's tracking page.
  const track = await browser.newPage();
  await track.goto(link);
  assert.match(await track.locator("body").innerText(), new RegExp(code));
  assert.deepEqual(refused, []);
  assert.deepEqual(agentRefused, []);
});

test("TR-1: a walk-in takes home a slip with the company, the link, its QR code and the deadlines", async () => {
  const page = await browser.newPage();
  const refused = policyViolations(page);
  await signIn(page, hotro.base, care);
  await page.goto(`${hotro.base}/agent/new`);
  await page.locator("#channel").selectOption("walk_in");
  await page.locator("#kind").selectOption("complaint");
  await page.getByLabel(/Họ và tên/).fill("Lê Thị Cúc");
  await page.getByLabel(/Số điện thoại/).fill("0903 555 111");
  await page.getByLabel(/Tiêu đề/).fill("Hóa đơn tháng 11 tính sai");
  await page.getByLabel(/^Nội dung/).fill("Hóa đơn tháng 11 tính sai số tiền cước.");
  await page.locator("#incident_date").fill(new Date(Date.now() - 3 * 864e5).toISOString().slice(0, 10));
  await page.locator("#complaint_category").selectOption("business");
  await page.getByTestId("submit").click();
  const slip = page.getByTestId("slip");
  await slip.waitFor();
  const text = await slip.innerText();
  assert.match(text, /CÔNG TY CỔ PHẦN MẠNG AN PHÁT/i);
  assert.match(text, /12 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội/);
  assert.match(text, /PHIẾU TIẾP NHẬN/);
  const code = await page.getByTestId("slip-code").innerText();
  const link = await page.getByTestId("tracking-link").getAttribute("href");
  assert.match(link, new RegExp(`/track/${code}\\?secret=[0-9a-f]+$`));
  assert.match(await page.getByTestId("deadlines").innerText(), /Xác nhận tiếp nhận chậm nhất: \d\d\/\d\d\/\d{4}[\s\S]*Giải quyết chậm nhất: \d\d\/\d\d\/\d{4}/);
  const qr = page.getByTestId("qr").locator("svg");
  const size = await qr.boundingBox();
  assert.ok(size.width >= 150 && size.height >= 150, "the QR code is big enough to scan");
  await page.emulateMedia({ media: "print" });
  await shot(page, "walk-in-slip");
  const pdf = await page.pdf({ format: "A5" });
  assert.ok(pdf.length > 1000);
  await page.emulateMedia({ media: "screen" });
  // The link on the slip opens the customer's tracking page.
  await page.goto(link);
  assert.match(await page.locator("body").innerText(), new RegExp(code));
  assert.deepEqual(refused, []);
});

test("TR-1: a letter is answered by a printable letter; a caller hears the code and link", async () => {
  const page = await browser.newPage();
  const refused = policyViolations(page);
  await signIn(page, hotro.base, care);
  await page.goto(`${hotro.base}/agent/new`);
  await page.locator("#channel").selectOption("post");
  await page.locator("#kind").selectOption("request");
  await page.getByLabel(/Họ và tên/).fill("Phan Văn Đức");
  await page.getByLabel(/Địa chỉ/).fill("7 Trần Phú, Ngô Quyền, Hải Phòng");
  await page.getByLabel(/Tiêu đề/).fill("Đề nghị in lại hợp đồng");
  await page.getByLabel(/^Nội dung/).fill("Tôi đề nghị công ty in lại hợp đồng số 15/2026.");
  await page.getByTestId("submit").click();
  const letter = page.getByTestId("letter");
  await letter.waitFor();
  const vi = await page.getByTestId("letter-vi").innerText();
  const en = await page.getByTestId("letter-en").innerText();
  assert.match(vi, /THƯ XÁC NHẬN TIẾP NHẬN[\s\S]*Kính thưa quý khách[\s\S]*\/track\/HT-/);
  assert.match(en, /CONFIRMATION OF RECEIPT[\s\S]*Dear customer[\s\S]*\/track\/HT-/);
  assert.match(await page.getByTestId("recipient").innerText(), /Phan Văn Đức[\s\S]*7 Trần Phú/);
  await page.emulateMedia({ media: "print" });
  await shot(page, "post-letter");
  await page.emulateMedia({ media: "screen" });

  // A caller: the code and link to read out, and the way to the ticket.
  await page.goto(`${hotro.base}/agent/new`);
  await page.locator("#channel").selectOption("phone");
  await page.locator("#kind").selectOption("request");
  await page.getByLabel(/Họ và tên/).fill("Đỗ Văn Bình");
  await page.getByLabel(/Số điện thoại/).fill("0912 345 678");
  await page.getByLabel(/Tiêu đề/).fill("Kiểm tra hồ sơ chuyển hợp đồng");
  await page.getByLabel(/^Nội dung/).fill("Khách hỏi tình trạng hồ sơ chuyển hợp đồng.");
  await page.locator("#topic").selectOption("contract_transfer");
  await page.getByTestId("submit").click();
  const phone = page.getByTestId("phone-confirmation");
  await phone.waitFor();
  assert.match(await page.getByTestId("say").innerText(), /Mã phiếu của quý khách là HT - \d{4} - \d{6}\./);
  assert.match(await page.getByTestId("tracking-link").innerText(), /\/track\/HT-\d{4}-\d{6}\?secret=/);
  await shot(page, "phone-confirmation");
  await page.getByTestId("open-ticket").click();
  await page.getByTestId("timeline").waitFor();
  assert.deepEqual(refused, []);
});
