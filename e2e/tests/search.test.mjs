// SE-1 in the browser: the search box in the workspace header finds a ticket typed without
// diacritics, highlights the words found, and an agent of another department finds nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startHotro, launchBrowser, signIn, shot } from "../lib/hotro.mjs";

let hotro, browser, care, sales;

before(async () => {
  hotro = await startHotro();
  care = hotro.addStaff("lan@example.vn", "Trần Thị Lan", "customer", "agent");
  sales = hotro.addStaff("minh@example.vn", "Lê Văn Minh", "sales", "agent");
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await hotro?.stop();
});

test("SE-1: 'khieu nai da nang' finds 'Khiếu nại … Đà Nẵng', highlighted, for its department only", async () => {
  const r = await fetch(`${hotro.base}/api/v1/public/tickets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      kind: "complaint",
      customer: { name: "Phạm Thị Dung", email: "dung@example.vn" },
      subject: "Khiếu nại dịch vụ tại chi nhánh Đà Nẵng",
      description: "Nhân viên chi nhánh Đà Nẵng hẹn lắp đặt nhưng không đến.",
      incident_date: "2026-11-02",
      complaint_category: "service_quality",
    }),
  });
  assert.equal(r.status, 201);
  const { code } = await r.json();

  const page = await browser.newPage();
  await signIn(page, hotro.base, care);
  await page.getByTestId("header-search").fill("khieu nai da nang");
  await page.getByTestId("header-search").press("Enter");
  await page.getByTestId("search-results").waitFor();
  const hit = page.getByTestId("search-hit").first();
  assert.match(await hit.innerText(), new RegExp(code));
  const marked = await hit.locator("mark").allInnerTexts();
  assert.ok(marked.includes("Đà") && marked.includes("Nẵng"), `marked: ${marked}`);
  await shot(page, "agent-search");
  await hit.getByRole("link").click();
  await page.waitForURL(new RegExp(`/agent/tickets/${code}`));

  // Operators are plain characters; an empty search names the field.
  await page.goto(`${hotro.base}/agent/search?q=${encodeURIComponent('"khieu" (nai*) -da:nang')}`);
  await page.getByTestId("search-results").waitFor();
  await page.goto(`${hotro.base}/agent/search?q=${encodeURIComponent("🎉 ***")}`);
  assert.match(await page.locator("#s-q-error").innerText(), /ít nhất một từ/);

  const other = await browser.newPage();
  await signIn(other, hotro.base, sales);
  await other.getByTestId("header-search").fill("khieu nai da nang");
  await other.getByTestId("header-search").press("Enter");
  await other.getByTestId("search-empty").waitFor();
});
