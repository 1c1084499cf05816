// The viewer page. Document-derived text (file names, findings, messages) only ever reaches
// the page through textContent; pages are PNG data: URLs; nothing is inserted as HTML.
"use strict";

const $ = (id) => document.getElementById(id);

// The page's words in English and Japanese; `{name}` marks where a value goes.
const TEXT = {
  en: {
    title: "docsandbox viewer",
    language: "Language",
    intro: "Look at an attachment without opening it: it is turned into page images inside a sandbox, in memory, and forgotten once you have seen it.",
    drop: "Drop a document here or choose a file",
    password: "Password (if it has one)",
    view: "View",
    fit: "Fit width",
    actual: "Actual size",
    keys: "Keys: ↓ or j next page, ↑ or k previous page",
    report: "Report",
    warnings: "Warnings",
    notes: "About this document",
    download: "Download the pages as a safe PDF",
    original: "Download the original file",
    "original-warning": "This file holds content that can act when it is opened in its own program. Download the original only if you must, open it only if you trust the sender, and never enable macros or editing.",
    "original-link": "Download the original anyway",
    rendering: "Rendering {name}… {shown} page(s)",
    "rendering-of": "Rendering {name}… {shown} of {expected} page(s)",
    done: "Done: {shown} page(s).",
    missing: "Some pages are missing: {why}",
    cut: "The answer was cut off after {shown} page(s).",
    unreachable: "The viewer cannot be reached. Check the connection and try again.",
    nothing: "Nothing noteworthy was found.",
    format: "{format}, {shown} of {count} page(s) shown",
    "format-unknown": "{format}, {shown} page(s) shown",
    page: "Page {n}",
    choose: "Choose a file to view.",
    errors: {
      password: "This document is password-protected. Enter its password and try again.",
      unsupported: "This kind of file cannot be shown.",
      malformed: "This file is damaged or deliberately malformed, and cannot be shown.",
      limit: "This file needs more than the viewer allows (size, pages or time).",
      busy: "The viewer is busy. Try again in a moment.",
      upload: "The upload failed. Try again.",
      token: "Reload this page and try again.",
      internal: "Something went wrong in the viewer. Try again; if it persists, tell your administrator.",
    },
  },
  ja: {
    title: "docsandbox ビューア",
    language: "言語",
    intro: "添付ファイルを開かずに中身を確認できます。ファイルはサンドボックスの中でページ画像に変換され、メモリ上でのみ扱われ、表示が終わると破棄されます。",
    drop: "ここにファイルをドロップするか、クリックしてファイルを選択",
    password: "パスワード（ある場合）",
    view: "表示",
    fit: "幅に合わせる",
    actual: "実寸",
    keys: "キー操作: ↓ または j で次のページ、↑ または k で前のページ",
    report: "レポート",
    warnings: "警告",
    notes: "この文書について",
    download: "安全なPDF（ページ画像のみ）をダウンロード",
    original: "元のファイルをダウンロード",
    "original-warning": "このファイルには、元のアプリケーションで開くと動作する内容が含まれています。どうしても必要な場合にのみダウンロードし、送信者を信頼できる場合にのみ開いてください。マクロや編集は決して有効にしないでください。",
    "original-link": "それでも元のファイルをダウンロード",
    rendering: "{name} を変換中… {shown} ページ",
    "rendering-of": "{name} を変換中… {expected} ページ中 {shown} ページ",
    done: "完了しました（{shown} ページ）。",
    missing: "一部のページを表示できませんでした: {why}",
    cut: "{shown} ページ目の後で応答が途切れました。",
    unreachable: "ビューアに接続できません。接続を確認して、もう一度お試しください。",
    nothing: "注意すべき内容は見つかりませんでした。",
    format: "{format}、{count} ページ中 {shown} ページを表示",
    "format-unknown": "{format}、{shown} ページを表示",
    page: "{n} ページ",
    choose: "表示するファイルを選んでください。",
    errors: {
      password: "この文書はパスワードで保護されています。正しいパスワードを入力して、もう一度お試しください。",
      unsupported: "この種類のファイルは表示できません。",
      malformed: "このファイルは壊れているか、意図的に不正な形にされているため、表示できません。",
      limit: "このファイルはビューアの上限（サイズ、ページ数、時間）を超えています。",
      busy: "ビューアが混み合っています。しばらくしてから、もう一度お試しください。",
      upload: "アップロードに失敗しました。もう一度お試しください。",
      token: "このページを再読み込みして、もう一度お試しください。",
      internal: "ビューアで問題が起きました。もう一度お試しください。続く場合は管理者に連絡してください。",
    },
  },
};

// Every kind of finding the library names (docsandbox_protocol::FindingKind) in plain
// words, [English, Japanese]. Whether a finding is a warning comes with the report.
const FINDINGS = {
  "javascript": ["This document contains JavaScript. It was not run here, but a PDF reader could run it.", "この文書には JavaScript が含まれています。ここでは実行されていませんが、PDF リーダーで開くと実行される可能性があります。"],
  "launch-action": ["This document tries to start a program or open a file when it is used.", "この文書は、操作されたときにプログラムを起動したりファイルを開いたりしようとします。"],
  "open-action": ["This document does something by itself as soon as it is opened.", "この文書は、開いた瞬間に自動で何かを実行するよう設定されています。"],
  "additional-action": ["This document runs actions when pages or fields are used.", "この文書は、ページや入力欄の操作に応じて動作を実行します。"],
  "submit-form": ["This document has a form that sends what is typed into it to an address.", "この文書には、入力内容を外部に送信するフォームがあります。"],
  "import-data": ["This document imports data from another file.", "この文書は、別のファイルからデータを読み込みます。"],
  "remote-goto": ["This document opens another document when a link is used.", "この文書は、リンクから別の文書を開きます。"],
  "xfa": ["This document contains an XFA form, which can run scripts in some readers.", "この文書には XFA フォームが含まれており、一部のリーダーではスクリプトが実行されることがあります。"],
  "multimedia": ["This document contains sound or video.", "この文書には音声や動画が含まれています。"],
  "acroform": ["This document contains fillable form fields.", "この文書には入力可能なフォーム欄があります。"],
  "uri": ["This document links to a web address.", "この文書には Web アドレスへのリンクがあります。"],
  "embedded-file": ["This document carries another file inside it.", "この文書の中に別のファイルが埋め込まれています。"],
  "vba-macros": ["This document contains macros. Macros can run programs: do not enable them in Office.", "この文書にはマクロが含まれています。マクロはプログラムを実行できます。Office でマクロを有効にしないでください。"],
  "excel4-macros": ["This workbook contains Excel 4.0 macros, an old kind often used by malware. Do not enable them.", "このブックには Excel 4.0 マクロ（マルウェアによく使われる古い形式）が含まれています。有効にしないでください。"],
  "macros": ["This document contains macros. Do not enable them.", "この文書にはマクロが含まれています。有効にしないでください。"],
  "macro-enabled": ["This is a macro-enabled file type.", "これはマクロ有効形式のファイルです。"],
  "embedded-object": ["This document contains an embedded object (another program's content), which can act when opened.", "この文書には埋め込みオブジェクト（他のアプリケーションの内容）があり、開くと動作する可能性があります。"],
  "activex": ["This document contains ActiveX controls, which can run code.", "この文書には ActiveX コントロールがあり、コードを実行できます。"],
  "dde": ["This document uses DDE, a way to start other programs. Refuse if Office asks to update links.", "この文書は DDE（他のプログラムを起動する仕組み）を使っています。Office にリンクの更新を求められても拒否してください。"],
  "remote-template": ["This document loads a template from elsewhere when opened, a common way to deliver malware.", "この文書は開いたときに外部からテンプレートを読み込みます。マルウェアの配布によく使われる手口です。"],
  "external-ole-object": ["This document links to an object stored elsewhere.", "この文書は外部に置かれたオブジェクトにリンクしています。"],
  "external-image": ["This document loads a picture from elsewhere when opened, which tells the sender it was opened.", "この文書は開いたときに外部から画像を読み込みます。開いたことが送信者に伝わる可能性があります。"],
  "external-document": ["This document refers to another document stored elsewhere.", "この文書は外部に置かれた別の文書を参照しています。"],
  "external-link": ["This document refers to data stored elsewhere.", "この文書は外部のデータを参照しています。"],
  "hidden-sheet": ["This workbook has hidden sheets.", "このブックには非表示のシートがあります。"],
  "sheet": ["A sheet of this workbook, and the pages it is printed on.", "このブックのシートと、その印刷ページです。"],
  "executable": ["This contains a program. Do not run it.", "プログラムが含まれています。実行しないでください。"],
  "double-extension": ["A file name hides its real type behind a second extension (like invoice.pdf.exe).", "ファイル名に二重の拡張子があり、本当の種類を隠しています（例: invoice.pdf.exe）。"],
  "rtl-override": ["A file name uses a hidden character that reverses text, to disguise its real type.", "ファイル名に文字の向きを反転させる隠し文字があり、本当の種類を偽装しています。"],
  "path-traversal": ["An entry's name tries to write outside its folder when extracted.", "展開時にフォルダの外へ書き込もうとする名前のエントリがあります。"],
  "encrypted-entry": ["An entry of this archive is encrypted.", "このアーカイブの中に暗号化されたエントリがあります。"],
  "compression-bomb": ["This file expands to a huge size when unpacked (a compression bomb).", "このファイルは展開すると非常に大きくなります（圧縮爆弾）。"],
  "archive-bomb": ["This archive is built to overwhelm programs that unpack it (an archive bomb).", "このアーカイブは、展開するプログラムを過負荷にするよう作られています（アーカイブ爆弾）。"],
  "nesting-too-deep": ["Archives or attachments are nested deeper than the viewer follows.", "アーカイブや添付ファイルが、ビューアがたどる深さを超えて入れ子になっています。"],
  "entry-not-shown": ["An entry of this archive or message is not shown.", "アーカイブやメッセージの一部のエントリは表示されていません。"],
  "attachment": ["This message has an attachment.", "このメッセージには添付ファイルがあります。"],
  "password-in-body": ["The message states a password next to an encrypted attachment, a typical trick to get malware past filters.", "メッセージ本文に暗号化添付ファイルのパスワードが書かれています。マルウェアをフィルタに通すための典型的な手口です。"],
  "password-from-message": ["An attachment was opened with a password found in the message body.", "メッセージ本文のパスワードで添付ファイルを開きました。"],
  "encrypted": ["This document is encrypted.", "この文書は暗号化されています。"],
  "encoding": ["Text encoding used.", "使われている文字コード。"],
  "animated": ["This picture is animated; only its first frame is shown.", "この画像はアニメーションです。最初のフレームのみ表示しています。"],
  "legacy-format": ["This is an old file format.", "これは古い形式のファイルです。"],
  "damaged-page": ["A page is damaged; what could be read is shown.", "破損したページがあります。読み取れた部分のみ表示しています。"],
  "content-truncated": ["Part of the content was cut off at the viewer's limits.", "内容の一部はビューアの上限で打ち切られました。"],
  "content-not-shown": ["Some content is not drawn (marked on the page where it would be).", "一部の内容は描画されていません（本来の位置に印を表示しています）。"],
  "empty-document": ["This document is empty.", "この文書は空です。"],
  "inspection-truncated": ["The document is too large to inspect in full.", "文書が大きすぎるため、すべては検査できませんでした。"],
  "report-truncated": ["There were more findings than the report holds.", "レポートに収まりきらないほど多くの項目が見つかりました。"],
  "extension-mismatch": ["The file's name claims another type than its content: a common disguise.", "ファイル名が示す種類と中身が一致しません。よくある偽装の手口です。"],
};

let lang = TEXT[document.documentElement.lang] ? document.documentElement.lang : "en";
// The uploaded file and how its render went, to say again in another language.
let shownState = null;
let generation = 0;
let controller = null;

function t(key, values) {
  let text = TEXT[lang][key] ?? TEXT.en[key] ?? key;
  for (const [name, value] of Object.entries(values || {})) text = text.replaceAll("{" + name + "}", String(value));
  return text;
}

function applyLanguage() {
  document.documentElement.lang = lang;
  $("lang").value = lang;
  document.title = t("title");
  for (const element of document.querySelectorAll("[data-i18n]")) {
    // The drop zone shows the chosen file's name once there is one.
    if (element.id === "drop" && $("file").files[0]) continue;
    element.textContent = t(element.dataset.i18n);
  }
  for (const caption of document.querySelectorAll("#pages figcaption")) caption.textContent = t("page", { n: caption.dataset.n });
  if (shownState) showReport(shownState);
}

let statusState = null;

function status(key, values, error) {
  statusState = key ? { key, values, error } : null;
  $("status").textContent = key ? t(key, values) : "";
  $("status").className = error ? "error" : "";
}

// An error the server named: in the page's language, with the server's detail when the
// kind has no words here.
function serverError(body, code) {
  const words = TEXT[lang].errors[body.error] || (lang === "en" ? body.message : TEXT[lang].errors.internal);
  $("status").textContent = words || body.message || "HTTP " + code;
  $("status").className = "error";
  statusState = null;
}

// Forgets the previous document: its pages, report and downloads must never sit under a
// new document's name or error.
function reset() {
  $("pages").replaceChildren();
  $("thumbs").replaceChildren();
  for (const id of ["findings", "warnings"]) $(id).replaceChildren();
  $("format").textContent = "";
  $("report").hidden = true;
  $("toolbar").hidden = true;
  $("progress").hidden = true;
  for (const id of ["download", "original-link"]) {
    const link = $(id);
    if (link.href) URL.revokeObjectURL(link.href);
    link.removeAttribute("href");
  }
  $("download").hidden = true;
  $("original").hidden = true;
  $("original").open = false;
  shownState = null;
}

function addPage(page) {
  const figure = document.createElement("figure");
  figure.id = "page-" + page.number;
  const img = document.createElement("img");
  img.src = "data:image/png;base64," + page.png;
  img.alt = t("page", { n: page.number });
  img.width = page.width;
  img.height = page.height;
  const caption = document.createElement("figcaption");
  caption.dataset.n = page.number;
  caption.textContent = t("page", { n: page.number });
  figure.append(img, caption);
  $("pages").append(figure);

  const thumb = document.createElement("button");
  thumb.type = "button";
  thumb.dataset.n = page.number;
  const small = document.createElement("img");
  small.src = img.src;
  small.alt = "";
  thumb.append(small, String(page.number));
  thumb.addEventListener("click", () => goTo(figure));
  $("thumbs").append(thumb);
  $("toolbar").hidden = false;
}

function finding(item) {
  const li = document.createElement("li");
  li.className = item.warning ? "warn" : "";
  li.dataset.kind = item.kind;
  const words = FINDINGS[item.kind];
  const title = document.createElement(item.warning ? "strong" : "span");
  title.textContent = words ? words[lang === "ja" ? 1 : 0] : item.kind;
  li.append(title);
  if (item.detail) {
    const detail = document.createElement("span");
    detail.className = "detail";
    detail.textContent = item.detail;
    li.append(detail);
  }
  return li;
}

function showReport(state) {
  const { report, pages } = state;
  $("format").textContent = report.page_count
    ? t("format", { format: report.format || "?", shown: pages, count: report.page_count })
    : t("format-unknown", { format: report.format || "?", shown: pages });
  const warnings = report.findings.filter((f) => f.warning);
  const notes = report.findings.filter((f) => !f.warning);
  $("warnings").replaceChildren(...warnings.map(finding));
  $("findings").replaceChildren(...notes.map(finding));
  if (!report.findings.length) {
    const li = document.createElement("li");
    li.textContent = t("nothing");
    $("findings").append(li);
  }
  $("warnings-title").hidden = !warnings.length;
  $("notes-title").hidden = !warnings.length || !notes.length;
  // The original only behind a warning when it holds content that acts.
  $("original").hidden = false;
  $("original").open = !warnings.length;
  $("original-warning").hidden = !warnings.length;
}

function finish(done, file) {
  shownState = { report: done.report, pages: done.pages };
  showReport(shownState);
  const pdf = Uint8Array.from(atob(done.pdf), (c) => c.charCodeAt(0));
  const link = $("download");
  link.href = URL.createObjectURL(new Blob([pdf], { type: "application/pdf" }));
  link.hidden = false;
  const original = $("original-link");
  original.href = URL.createObjectURL(file);
  original.download = file.name;
  $("report").hidden = false;
  $("progress").hidden = true;
  if (done.stopped) status("missing", { why: done.stopped }, true);
  else status("done", { shown: done.pages });
}

// Reads the answer as lines of JSON: each page as soon as it is rendered, then the report.
// Stops as soon as a newer upload began.
async function readStream(response, file, mine) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let shown = 0;
  let finished = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (mine !== generation) return;
    if (value) buffer += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const event = JSON.parse(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      if (event.type === "page") {
        addPage(event);
        shown += 1;
        const progress = $("progress");
        if (event.expected) {
          progress.max = event.expected;
          progress.value = shown;
          status("rendering-of", { name: file.name, shown, expected: event.expected });
        } else {
          progress.removeAttribute("value");
          status("rendering", { name: file.name, shown });
        }
      } else if (event.type === "done") {
        finish(event, file);
        finished = true;
      }
    }
    if (done) break;
  }
  if (!finished) status("cut", { shown }, true);
}

async function upload(file) {
  if (!file) {
    status("choose", {}, true);
    return;
  }
  // A newer upload replaces the one in flight: stop reading it, forget what it showed.
  if (controller) controller.abort();
  controller = new AbortController();
  const mine = ++generation;
  reset();
  status("rendering", { name: file.name, shown: 0 });
  $("progress").hidden = false;
  $("progress").removeAttribute("value");
  const form = new FormData();
  form.append("file", file, file.name);
  form.append("password", $("password").value);
  const token = document.querySelector('meta[name="docsandbox-token"]').content;
  try {
    const response = await fetch("/render", { method: "POST", body: form, headers: { "X-Docsandbox-Token": token }, signal: controller.signal });
    if (mine !== generation) return;
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      if (mine !== generation) return;
      $("progress").hidden = true;
      serverError(body, response.status);
      return;
    }
    await readStream(response, file, mine);
  } catch (e) {
    if (mine !== generation || e.name === "AbortError") return;
    $("progress").hidden = true;
    status("unreachable", {}, true);
  }
}

function figures() {
  return [...document.querySelectorAll("#pages figure")];
}

function goTo(figure) {
  if (!figure) return;
  figure.scrollIntoView({ block: "start" });
  for (const thumb of document.querySelectorAll("#thumbs button")) thumb.classList.toggle("current", thumb.dataset.n === figure.querySelector("figcaption").dataset.n);
}

// The page whose top is nearest the top of the window.
function currentIndex() {
  const all = figures();
  let best = 0;
  all.forEach((figure, i) => {
    if (figure.getBoundingClientRect().top <= 40) best = i;
  });
  return best;
}

function setZoom(fit) {
  $("pages").classList.toggle("fit", fit);
  $("fit").setAttribute("aria-pressed", String(fit));
  $("actual").setAttribute("aria-pressed", String(!fit));
}

document.addEventListener("DOMContentLoaded", () => {
  applyLanguage();
  const drop = $("drop");
  $("lang").addEventListener("change", () => {
    lang = $("lang").value;
    applyLanguage();
    if (statusState) status(statusState.key, statusState.values, statusState.error);
  });
  $("upload").addEventListener("submit", (e) => { e.preventDefault(); upload($("file").files[0]); });
  $("file").addEventListener("change", () => { drop.textContent = $("file").files[0]?.name || t("drop"); });
  $("fit").addEventListener("click", () => setZoom(true));
  $("actual").addEventListener("click", () => setZoom(false));
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
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, select, textarea") || e.ctrlKey || e.metaKey || e.altKey) return;
    const all = figures();
    if (!all.length) return;
    const step = { ArrowDown: 1, PageDown: 1, j: 1, ArrowUp: -1, PageUp: -1, k: -1 }[e.key];
    if (!step) return;
    e.preventDefault();
    goTo(all[Math.min(all.length - 1, Math.max(0, currentIndex() + step))]);
  });
});
