// SC-1 in the browser (issue 16): an administrator manages staff and tokens in the workspace.
// They add a person (a generated password shown once), who signs in in a second browser; the
// admin disables them and the person's next page load goes to sign-in; re-enables; resets the
// password (shown once, the person signs in with it); creates a token and revokes it (the API
// then answers 401); the change log names every step.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startHotro, launchBrowser, signIn, shot, policyViolations } from "../lib/hotro.mjs";

let hotro, browser, admin;

before(async () => {
  hotro = await startHotro();
  admin = hotro.addStaff("quantri@example.vn", "Nguyễn Quản Trị", "customer", "admin");
  hotro.addStaff("lan@example.vn", "Trần Thị Lan", "customer", "agent");
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await hotro?.stop();
});

test("SC-1: staff and tokens administered in the workspace, every change in the log", async () => {
  const adminCtx = await browser.newContext();
  const page = await adminCtx.newPage();
  const refused = policyViolations(page);
  await signIn(page, hotro.base, admin);

  // The header's "Quản trị" leads to the staff page.
  await page.getByTestId("nav-admin").click();
  await page.waitForURL(`${hotro.base}/agent/admin/staff`);
  assert.ok(await page.locator('tr[data-email="lan@example.vn"]').isVisible());

  // A mistake is answered beside its field; the typed values stay.
  await page.locator("#add-email").fill("lan@example.vn");
  await page.locator("#add-name").fill("Trùng địa chỉ");
  await page.getByTestId("add-submit").click();
  assert.match(await page.locator("#add-email-error").innerText(), /đã thuộc về một nhân viên khác/);

  // Add a person with a generated password, shown once.
  await page.locator("#add-email").fill("thu@example.vn");
  await page.locator("#add-name").fill("Phạm Minh Thu");
  await page.locator("#add-department").selectOption("sales");
  await page.locator("#add-role").selectOption("agent");
  await page.getByTestId("add-submit").click();
  const first = (await page.getByTestId("shown-password").innerText()).trim();
  assert.match(first, /^[a-z0-9]{5}(-[a-z0-9]{5}){3}$/);

  // The person signs in in a browser of their own.
  const personCtx = await browser.newContext();
  const person = await personCtx.newPage();
  await signIn(person, hotro.base, { email: "thu@example.vn", password: first });

  // Disabled: the person's next page load goes to sign-in.
  await page.goto(`${hotro.base}/agent/admin/staff`);
  const row = page.locator('tr[data-email="thu@example.vn"]');
  await row.getByTestId("row-disable").click();
  assert.match(await page.getByTestId("admin-done").innerText(), /Đã khoá tài khoản/);
  assert.match(await row.getByTestId("row-active").innerText(), /Đã khoá/);
  await person.reload();
  assert.equal(new URL(person.url()).pathname, "/agent/login");

  // Enabled again: they sign in.
  await row.getByTestId("row-enable").click();
  assert.match(await row.getByTestId("row-active").innerText(), /Đang hoạt động/);
  await signIn(person, hotro.base, { email: "thu@example.vn", password: first });

  // Disabling oneself is refused beside the button.
  await page.locator('tr[data-email="quantri@example.vn"]').getByTestId("row-disable").click();
  assert.match(
    await page.locator('tr[data-email="quantri@example.vn"]').getByTestId("row-error-active").innerText(),
    /Không thể tự hạ quyền hoặc tự khoá/,
  );

  // Reset the password: a new one shown once; the person's session ends and the new one works.
  await page.goto(`${hotro.base}/agent/admin/staff`);
  await row.getByTestId("row-reset").click();
  const second = (await page.getByTestId("shown-password").innerText()).trim();
  assert.notEqual(second, first);
  await shot(page, "admin-staff");
  await person.reload();
  assert.equal(new URL(person.url()).pathname, "/agent/login");
  await signIn(person, hotro.base, { email: "thu@example.vn", password: second });
  await page.goto(`${hotro.base}/agent/admin/staff`);
  assert.equal(await page.getByTestId("shown-password").count(), 0, "shown once only");

  // A token for the person: the secret shown once works on the API until it is revoked.
  await page.goto(`${hotro.base}/agent/admin/tokens`);
  await page.locator("#token-email").selectOption("thu@example.vn");
  await page.locator("#token-label").fill("báo cáo hằng tuần");
  await page.locator("#token-expires").fill("30");
  await page.getByTestId("token-submit").click();
  const secret = (await page.getByTestId("shown-secret").innerText()).trim();
  const api = (s) => fetch(`${hotro.base}/api/v1/queue`, { headers: { authorization: `Bearer ${s}` } });
  assert.equal((await api(secret)).status, 200);
  await page.goto(`${hotro.base}/agent/admin/tokens`);
  const tokenRow = page.getByTestId("token-row").filter({ hasText: "báo cáo hằng tuần" });
  await tokenRow.getByTestId("token-revoke").click();
  assert.match(await page.getByTestId("admin-done").innerText(), /Đã thu hồi/);
  assert.equal(await tokenRow.getByTestId("token-revoked").count(), 1);
  assert.equal((await api(secret)).status, 401);
  await shot(page, "admin-tokens");

  // The change log: who did what to whom, newest first, never a password or a secret.
  await page.goto(`${hotro.base}/agent/admin/audit`);
  const actions = await page.getByTestId("audit-row").evaluateAll(
    (rows) => rows.map((r) => r.dataset.action),
  );
  assert.deepEqual(actions.slice(0, 6), [
    "token.revoked", "token.created", "staff.password_reset", "staff.enabled", "staff.disabled",
    "staff.added",
  ]);
  const log = await page.locator("main").innerText();
  assert.ok(log.includes("Nguyễn Quản Trị (quantri@example.vn)"));
  assert.ok(log.includes("Người vận hành (dòng lệnh)"), "the CLI's additions are the operator's");
  for (const hidden of [first, second, secret]) assert.ok(!log.includes(hidden));
  await shot(page, "admin-audit");

  // Anyone else finds no such page, and no link to it.
  await person.goto(`${hotro.base}/agent`);
  assert.equal(await person.getByTestId("nav-admin").count(), 0);
  const response = await person.goto(`${hotro.base}/agent/admin/staff`);
  assert.equal(response.status(), 404);

  assert.deepEqual(refused, []);
  await personCtx.close();
  await adminCtx.close();
});
