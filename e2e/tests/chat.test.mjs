// CH-3: the chat widget, embedded with one script tag on another site, talks to hotro over
// a WebSocket: the conversation becomes a ticket, the agent answers from the workspace, both
// sides see each other live, and a reloaded page resumes the conversation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { startHotro, launchBrowser, signIn, shot, policyViolations } from "../lib/hotro.mjs";

let hotro, browser, agent, site, siteUrl;

before(async () => {
  hotro = await startHotro();
  agent = hotro.addStaff("lan@example.vn", "Trần Thị Lan", "other", "agent");
  browser = await launchBrowser();
  // A customer's own web site, on another origin, with the one-line embed — and a strict
  // policy of its own that allows hotro's script and connections but no inline style, as a
  // careful site has: the widget must work under it (issue 14).
  site = createServer((req, res) => {
    const ws = hotro.base.replace(/^http/, "ws");
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": `default-src 'none'; script-src ${hotro.base}; ` +
        `connect-src ${hotro.base} ${ws}; style-src 'self'; img-src 'self'`,
    });
    res.end(`<!doctype html><html lang="vi"><head><title>Cửa hàng An Phát</title></head>
      <body><h1>Cửa hàng An Phát</h1>
      <script src="${hotro.base}/widget.js" data-department="other" data-lang="vi" async></script></body></html>`);
  });
  await new Promise((ok) => site.listen(0, "127.0.0.1", ok));
  siteUrl = `http://127.0.0.1:${site.address().port}/`;
});

after(async () => {
  await browser?.close();
  await hotro?.stop();
  site?.close();
});

test("CH-3: widget → ticket → agent answers → live both ways → resume after reload", async () => {
  const visitor = await browser.newPage();
  const refused = policyViolations(visitor);
  await visitor.goto(siteUrl);
  const widget = visitor.locator("[data-hotro-chat]");
  await widget.getByRole("button", { name: "Chat" }).click();
  // Styled through the style object, which the site's policy lets apply.
  assert.equal(
    await widget.getByRole("button", { name: "Chat" }).evaluate((b) => getComputedStyle(b).backgroundColor),
    "rgb(11, 92, 173)",
  );
  // The status line says whether staff are on duty, and if not, when they will answer.
  const status = widget.locator('[data-role="status"]');
  await assert.doesNotReject(() => status.filter({ hasText: /Nhân viên|ngoài giờ/ }).waitFor());
  await widget.getByLabel("Họ và tên").fill("Võ Thị Hạnh");
  await widget.getByLabel("Nhập tin nhắn…").fill("Cho tôi hỏi giá gói hosting doanh nghiệp?");
  await widget.getByRole("button", { name: "Gửi" }).click();
  await widget.getByText("Cho tôi hỏi giá gói hosting doanh nghiệp?").waitFor();
  await shot(visitor, "chat-widget");

  // The conversation is a ticket on the chat channel in the department's queue.
  const staff = await browser.newPage();
  await signIn(staff, hotro.base, agent);
  const row = staff.locator("tr", { hasText: "Cho tôi hỏi giá gói hosting" });
  await row.waitFor();
  assert.match(await row.innerText(), /Chat/);
  await row.getByRole("link").click();
  await staff.locator("#reply-body").fill("Kính thưa quý khách, gói doanh nghiệp giá 2.400.000 đ/năm.");
  await staff.getByTestId("send-reply").click();
  await staff.waitForURL(/done=1/);

  // The visitor sees the answer live, and the agent sees the next message without reloading.
  await widget.getByText("gói doanh nghiệp giá 2.400.000 đ/năm").waitFor();
  await widget.getByLabel("Nhập tin nhắn…").fill("Cảm ơn, tôi sẽ đăng ký.");
  await widget.getByLabel("Nhập tin nhắn…").press("Enter");
  await staff.getByTestId("timeline").getByText("Cảm ơn, tôi sẽ đăng ký.").waitFor({ timeout: 10000 });
  await shot(staff, "agent-chat-console");

  // A reload resumes the whole conversation from hotro, each message once.
  await visitor.reload();
  await widget.getByRole("button", { name: "Chat" }).click();
  await widget.getByText("Cảm ơn, tôi sẽ đăng ký.").waitFor();
  assert.equal(await widget.getByText("Cho tôi hỏi giá gói hosting doanh nghiệp?").count(), 1);
  assert.equal(await widget.getByText("gói doanh nghiệp giá 2.400.000 đ/năm", { exact: false }).count(), 1);
  await shot(visitor, "chat-widget-resumed");
  assert.deepEqual(refused, [], "the site's policy refused nothing of the widget");
});
