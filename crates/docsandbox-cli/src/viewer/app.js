// The viewer page. Document-derived text (file names, findings) only ever reaches the page
// through textContent; pages are PNG data: URLs; nothing is inserted as HTML.
"use strict";

const $ = (id) => document.getElementById(id);

function status(text, error) {
  $("status").textContent = text;
  $("status").className = error ? "error" : "";
}

// Forgets the previous document: its pages, report and safe PDF must never sit under a
// new document's name or error.
function reset() {
  $("pages").replaceChildren();
  $("findings").replaceChildren();
  $("format").textContent = "";
  $("report").hidden = true;
  const link = $("download");
  if (link.href) URL.revokeObjectURL(link.href);
  link.removeAttribute("href");
  link.hidden = true;
}

function addPage(page) {
  const img = document.createElement("img");
  img.src = "data:image/png;base64," + page.png;
  img.alt = "Page " + page.number;
  img.width = page.width;
  img.height = page.height;
  $("pages").append(img);
}

function finish(done) {
  const report = done.report;
  $("format").textContent = (report.format || "unknown format") + ", " + done.pages + " page(s) shown" +
    (report.page_count ? " of " + report.page_count : "");
  const list = $("findings");
  list.replaceChildren();
  for (const finding of report.findings) {
    const li = document.createElement("li");
    // Which kinds are warnings is decided once, in the protocol crate (FindingKind).
    li.className = finding.warning ? "warn" : "";
    li.dataset.kind = finding.kind;
    li.textContent = finding.kind + ": " + finding.detail;
    list.append(li);
  }
  if (!report.findings.length) {
    const li = document.createElement("li");
    li.textContent = "Nothing noteworthy found.";
    list.append(li);
  }
  const pdf = Uint8Array.from(atob(done.pdf), (c) => c.charCodeAt(0));
  const link = $("download");
  link.href = URL.createObjectURL(new Blob([pdf], { type: "application/pdf" }));
  link.hidden = false;
  $("report").hidden = false;
  status(done.stopped ? "Some pages are missing: " + done.stopped : "Done.", Boolean(done.stopped));
}

// Reads the answer as lines of JSON: each page as soon as it is rendered, then the report.
async function readStream(response, name) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let shown = 0;
  let finished = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const event = JSON.parse(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      if (event.type === "page") {
        addPage(event);
        shown += 1;
        status("Rendering " + name + "… " + shown + (event.expected ? " of " + event.expected : "") + " page(s)");
      } else if (event.type === "done") {
        finish(event);
        finished = true;
      }
    }
    if (done) break;
  }
  if (!finished) status("The answer was cut off after " + shown + " page(s).", true);
}

async function upload(file) {
  if (!file) return;
  reset();
  status("Rendering " + file.name + "…");
  const form = new FormData();
  form.append("file", file, file.name);
  form.append("password", $("password").value);
  const token = document.querySelector('meta[name="docsandbox-token"]').content;
  try {
    const response = await fetch("/render", { method: "POST", body: form, headers: { "X-Docsandbox-Token": token } });
    if (!response.ok) {
      const body = await response.json().catch(() => ({ message: "The viewer answered " + response.status + "." }));
      status(body.message || "The document could not be shown.", true);
      return;
    }
    await readStream(response, file.name);
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
