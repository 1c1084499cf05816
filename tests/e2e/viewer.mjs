// Drives the web viewer in headless Chromium: node viewer.mjs URL PDF [ZIP PASSWORD]
// Uploads the PDF and checks its pages and report appear; then, if given, uploads the
// password-protected ZIP without and with its password. Exits non-zero on any failure.
import { chromium } from "playwright-core";

const [url, pdf, zip, password] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const problems = [];
try {
  const page = await browser.newPage();
  page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text()); });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  const response = await page.goto(url);
  const csp = response.headers()["content-security-policy"] || "";
  if (!csp.includes("script-src 'self'")) problems.push("no strict CSP: " + csp);

  await page.setInputFiles("#file", pdf);
  await page.click("button[type=submit]");
  await page.waitForSelector("#pages img", { timeout: 60000 });
  await page.waitForSelector("#report:not([hidden])");
  const pages = await page.locator("#pages img").count();
  const format = await page.textContent("#format");
  const download = await page.getAttribute("#download", "href");
  console.log(`pdf: ${pages} page(s), ${format}, download ${download && download.slice(0, 5)}`);
  if (pages < 1 || !format.startsWith("pdf")) problems.push("the PDF's pages did not appear");
  if (!download || !download.startsWith("blob:")) problems.push("no safe PDF download");
  const width = await page.locator("#pages img").first().evaluate((img) => img.naturalWidth);
  if (width < 100) problems.push("the page image did not load: width " + width);

  if (zip) {
    await page.setInputFiles("#file", zip);
    await page.fill("#password", "");
    await page.click("button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#format").textContent.startsWith("zip"), null, { timeout: 60000 });
    if (await page.locator("#download").getAttribute("href") === download) problems.push("the previous document's PDF link survived a new upload");
    const locked = await page.locator("#pages img").count();
    const status = await page.textContent("#status");
    console.log(`zip without password: ${locked} page(s); status: ${status}`);
    if (!/password/i.test(status)) problems.push("no password message: " + status);

    await page.fill("#password", password);
    await page.click("button[type=submit]");
    // Pages stream in first; the report comes with the last line.
    await page.waitForFunction((n) => document.querySelectorAll("#pages img").length > n && !document.querySelector("#report").hidden,
      locked, { timeout: 60000 });
    const opened = await page.locator("#pages img").count();
    const findings = await page.locator("#findings li").allTextContents();
    const warned = await page.locator("#findings li.warn").count();
    console.log(`zip with password: ${opened} page(s); ${findings.length} finding(s), ${warned} highlighted`);
    if (!findings.some((f) => f.startsWith("encrypted-entry"))) problems.push("the archive's findings are missing: " + findings.join(" | "));
    // Highlighting follows the report's own "warning" flag: an encrypted entry is not one.
    const calm = await page.locator('#findings li[data-kind="encrypted-entry"]:not(.warn)').count();
    if (calm === 0) problems.push("encrypted-entry findings are shown as warnings, or missing");
  }
} finally {
  await browser.close();
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("viewer ok");
