// Drives the web viewer in headless Chromium: node viewer.mjs URL PDF MULTIPAGE [ZIP PASSWORD]
//
// In English: the PDF's page, its caption and thumbnail, the report in plain words; a
// failed upload clears everything the previous document showed; a multi-page document's
// pages arrive one by one, in order, before the report. In Japanese (the browser's
// Accept-Language): the page speaks Japanese and switches to English on request. On a
// 390 px phone the report keeps its width. Then, if given, the password-protected ZIP
// without and with its password. With DOCSANDBOX_SCREENSHOTS=DIR, saves the main states
// there. Exits non-zero on any failure.
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [url, pdf, multipage, zip, password] = process.argv.slice(2);
const shots = process.env.DOCSANDBOX_SCREENSHOTS;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const problems = [];
const check = (ok, message) => { if (!ok) problems.push(message); };
const garbage = join(mkdtempSync(join(tmpdir(), "viewer-")), "broken.pdf");
writeFileSync(garbage, "%PDF-1.7\n garbage");

async function open(options) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  // The browser logs the deliberately broken upload's 422 answer; anything else is a fault.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().includes("status of 422")) problems.push("console: " + m.text());
  });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  const response = await page.goto(url);
  const csp = response.headers()["content-security-policy"] || "";
  check(csp.includes("script-src 'self'"), "no strict CSP: " + csp);
  return page;
}

async function view(page, file, pass = "") {
  await page.setInputFiles("#file", file);
  await page.fill("#password", pass);
  await page.click("button[type=submit]");
}

try {
  // English.
  const page = await open({ locale: "en-US", viewport: { width: 1280, height: 900 } });
  check(await page.textContent("h1") === "docsandbox viewer", "the English title is missing");
  await view(page, pdf);
  await page.waitForSelector("#report:not([hidden])", { timeout: 60000 });
  const pages = await page.locator("#pages figure").count();
  const format = await page.textContent("#format");
  const download = await page.getAttribute("#download", "href");
  console.log(`pdf: ${pages} page(s), ${format}`);
  check(pages === 1 && format.startsWith("pdf"), "the PDF's page did not appear: " + format);
  check(await page.textContent("#pages figcaption") === "Page 1", "no page number under the page");
  check(await page.locator("#thumbs img").count() === 1, "no thumbnail");
  check(Boolean(download) && download.startsWith("blob:"), "no safe PDF download");
  const uri = await page.textContent('#findings li[data-kind="uri"]');
  check(uri.startsWith("This document links to a web address.") && uri.includes("https://example.org/"), "the finding is not in plain words: " + uri);
  const width = await page.locator("#pages img").first().evaluate((img) => img.naturalWidth);
  check(width >= 100, "the page image did not load: width " + width);
  if (shots) await page.screenshot({ path: join(shots, "viewer-en.png") });

  // A failed upload forgets the previous document entirely.
  await view(page, garbage);
  await page.waitForSelector("#status.error", { timeout: 60000 });
  const left = await page.evaluate(() => ({
    figures: document.querySelectorAll("#pages figure, #thumbs img").length,
    report: !document.querySelector("#report").hidden,
    link: document.querySelector("#download").getAttribute("href"),
  }));
  console.log(`after a failed upload: ${JSON.stringify(left)}; status: ${await page.textContent("#status")}`);
  check(left.figures === 0 && !left.report && !left.link, "the previous document stayed on screen after a failed upload");

  // Pages stream in, in order, each before the report.
  await page.evaluate(() => {
    window.seen = [];
    new MutationObserver((changes) => {
      for (const change of changes) {
        for (const node of change.addedNodes) if (node.tagName === "FIGURE") window.seen.push(node.id);
        if (change.target.id === "report" && !change.target.hidden) window.seen.push("report");
      }
    }).observe(document.querySelector("main"), { childList: true, subtree: true, attributes: true, attributeFilter: ["hidden"] });
  });
  await view(page, multipage);
  await page.waitForSelector("#report:not([hidden])", { timeout: 60000 });
  const seen = await page.evaluate(() => window.seen);
  console.log(`streamed: ${seen.join(" ")}`);
  check(seen.join(" ") === "page-1 page-2 page-3 report", "pages did not stream in order before the report: " + seen.join(" "));
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  check(await page.locator("#thumbs button.current").getAttribute("data-n") === "3", "keyboard navigation did not reach page 3");
  await page.click("#actual");
  check(!(await page.locator("#pages").getAttribute("class")).includes("fit"), "the zoom did not switch to actual size");

  if (zip) {
    await view(page, zip);
    await page.waitForFunction(() => document.querySelector("#format").textContent.startsWith("zip"), null, { timeout: 60000 });
    const locked = await page.locator("#pages figure").count();
    const status = await page.textContent("#status");
    console.log(`zip without password: ${locked} page(s); status: ${status}`);
    check(/password/i.test(status), "no password message: " + status);
    await view(page, zip, password);
    await page.waitForFunction((n) => document.querySelectorAll("#pages figure").length > n && !document.querySelector("#report").hidden,
      locked, { timeout: 60000 });
    const entries = await page.locator('#findings li[data-kind="encrypted-entry"]').count();
    console.log(`zip with password: ${await page.locator("#pages figure").count()} page(s); ${entries} encrypted entries`);
    check(entries > 0, "the archive's encrypted entries are missing from the report");
    // Highlighting follows the report's own "warning" flag: an encrypted entry is not one.
    check(await page.locator('#warnings li[data-kind="encrypted-entry"]').count() === 0, "encrypted entries are shown as warnings");
  }
  await page.context().close();

  // Japanese, from the browser's Accept-Language; English on request.
  const ja = await open({ locale: "ja-JP", viewport: { width: 1280, height: 900 } });
  check(await ja.getAttribute("html", "lang") === "ja", "Accept-Language: ja did not choose Japanese");
  check(await ja.textContent("h1") === "docsandbox ビューア", "the Japanese title is missing: " + await ja.textContent("h1"));
  await view(ja, pdf);
  await ja.waitForSelector("#report:not([hidden])", { timeout: 60000 });
  const words = await ja.textContent('#findings li[data-kind="uri"]');
  check(words.startsWith("この文書には Web アドレスへのリンクがあります。"), "the finding is not in Japanese: " + words);
  check(await ja.textContent("#pages figcaption") === "1 ページ", "the page number is not in Japanese");
  console.log(`ja: ${await ja.textContent("#status")}`);
  if (shots) await ja.screenshot({ path: join(shots, "viewer-ja.png") });
  await ja.selectOption("#lang", "en");
  check(await ja.textContent("h1") === "docsandbox viewer", "the language switch did not switch");
  check((await ja.textContent('#findings li[data-kind="uri"]')).startsWith("This document links"), "the report did not follow the language switch");
  await ja.context().close();

  // A phone: the report keeps a readable width.
  const phone = await open({ locale: "en-US", viewport: { width: 390, height: 844 }, isMobile: true });
  await view(phone, pdf);
  await phone.waitForSelector("#report:not([hidden])", { timeout: 60000 });
  const reportWidth = await phone.locator("#report").evaluate((e) => e.getBoundingClientRect().width);
  console.log(`phone: report ${Math.round(reportWidth)} px wide`);
  check(reportWidth > 300, "the report is squeezed on a phone: " + reportWidth + " px");
  if (shots) await phone.screenshot({ path: join(shots, "viewer-phone.png"), fullPage: true });
  await phone.context().close();
} finally {
  await browser.close();
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("viewer ok");
