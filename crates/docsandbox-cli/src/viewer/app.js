// The viewer page. Document-derived text (file names, findings) only ever reaches the page
// through textContent; pages are PNG data: URLs; nothing is inserted as HTML.
"use strict";

const WARN = new Set(["javascript", "launch-action", "vba-macros", "excel4-macros", "macros", "dde", "external-template", "external-ole-object",
  "executable", "double-extension", "rtl-override", "path-traversal", "password-in-body", "embedded-file", "activex", "extension-mismatch"]);

const $ = (id) => document.getElementById(id);

function status(text, error) {
  $("status").textContent = text;
  $("status").className = error ? "error" : "";
}

function show(result) {
  const pages = $("pages");
  pages.replaceChildren();
  result.pages.forEach((png, i) => {
    const img = document.createElement("img");
    img.src = "data:image/png;base64," + png;
    img.alt = "Page " + (i + 1);
    pages.append(img);
  });
  const report = result.report;
  $("format").textContent = (report.format || "unknown format") + ", " + result.pages.length + " page(s) shown" +
    (report.page_count ? " of " + report.page_count : "");
  const list = $("findings");
  list.replaceChildren();
  for (const finding of report.findings) {
    const li = document.createElement("li");
    li.className = WARN.has(finding.kind) ? "warn" : "";
    li.dataset.kind = finding.kind;
    li.textContent = finding.kind + ": " + finding.detail;
    list.append(li);
  }
  if (!report.findings.length) {
    const li = document.createElement("li");
    li.textContent = "Nothing noteworthy found.";
    list.append(li);
  }
  const pdf = Uint8Array.from(atob(result.pdf), (c) => c.charCodeAt(0));
  const link = $("download");
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([pdf], { type: "application/pdf" }));
  link.hidden = false;
  $("report").hidden = false;
  status(result.stopped ? "Some pages are missing: " + result.stopped : "Done.", Boolean(result.stopped));
}

async function upload(file) {
  if (!file) return;
  status("Rendering " + file.name + "…");
  const form = new FormData();
  form.append("file", file, file.name);
  form.append("password", $("password").value);
  try {
    const response = await fetch("/render", { method: "POST", body: form });
    const body = await response.json().catch(() => ({ message: "The viewer answered " + response.status + "." }));
    if (!response.ok) {
      status(body.message || "The document could not be shown.", true);
      return;
    }
    show(body);
  } catch (e) {
    status("The viewer cannot be reached: " + e.message, true);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const drop = $("drop");
  $("upload").addEventListener("submit", (e) => { e.preventDefault(); upload($("file").files[0]); });
  $("file").addEventListener("change", () => { drop.textContent = $("file").files[0]?.name || drop.textContent; });
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const file = e.dataTransfer.files[0];
    if (!file) return;
    const files = new DataTransfer();
    files.items.add(file);
    $("file").files = files.files;
    drop.textContent = file.name;
    upload(file);
  });
});
