#!/usr/bin/env python3
"""Fills fuzz/corpus/<target>/ with seeds from the shared document corpus.

Usage: fuzz/seed.py [CORPUS_DIR]   (default: ../shared/corpus next to the repository)

Whole documents go to the target of their format; the per-parser targets for DOCX, PPTX
and sheets also get the main XML parts of those documents on their own (the targets wrap
bare XML into a minimal package, so mutations reach the XML rather than the ZIP's CRCs).
Files over 512 KiB are left out: they slow every execution and add little coverage.
"""
import csv
import pathlib
import sys
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
CORPUS = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "corpus"
MAX_SEED = 512 << 10

# format column of MANIFEST.tsv -> targets fed the whole file
WHOLE = {
    "pdf": ["pdf", "sandbox"],
    "docx": ["docx", "sandbox"], "docm": ["docx", "sandbox"], "doc": ["sandbox"],
    "pptx": ["pptx", "sandbox"],
    "xlsx": ["sheet", "sandbox"], "xlsm": ["sheet", "sandbox"], "xls": ["sheet", "sandbox"], "ods": ["sheet", "sandbox"],
    "odt": ["sandbox"], "odp": ["sandbox"],
    "zip": ["zip", "sandbox"],
    "eml": ["mail", "sandbox"], "msg": ["mail", "sandbox"],
    "txt": ["text", "sandbox"], "csv": ["text", "sandbox"], "tsv": ["text", "sandbox"],
    "rtf": ["rtf", "sandbox"],
}
# Small RTF seeds covering the reader's destinations (the corpus holds no RTF yet).
RTF_SEEDS = {
    "text.rtf": rb"{\rtf1\ansi\ansicpg932\deff0{\fonttbl{\f0\fcharset128 MS Mincho;}}{\colortbl;\red255\green0\blue0;}"
                rb"\pard\qc\b\cf1 \'93\'fa\'96\'7b \u26085? {\i x}\par}",
    "table.rtf": rb"{\rtf1\trowd\clbrdrt\brdrs\cellx2000\clcbpat1\cellx4000\pard\intbl a\cell b\cell\row\pard after\par}",
    "fields.rtf": rb'{\rtf1{\header page {\field{\*\fldinst PAGE}{\fldrslt 1}}\par}{\field{\*\fldinst HYPERLINK "http://x"}{\fldrslt link}}'
                  rb"{\object\objemb{\*\objclass Package}{\*\objdata 0105}{\result r}}{\footnote\chftn note}\page two\par}",
    "picture.rtf": rb"{\rtf1{\shp{\*\shpinst\shpleft0\shpright2000{\sp{\sn pib}{\sv {\pict\pngblip\picwgoal200\pichgoal200 "
                   rb"89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082}}}}}\par}",
}
IMAGES = {"png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "ico"}
# target -> ZIP members whose contents become seeds of their own
PARTS = {
    "docx": lambda n: n == "word/document.xml",
    "pptx": lambda n: n.startswith("ppt/slides/slide") and n.endswith(".xml"),
    "sheet": lambda n: n.startswith("xl/worksheets/sheet") and n.endswith(".xml"),
}


def put(target, name, data):
    if 0 < len(data) <= MAX_SEED:
        out = HERE / "corpus" / target
        out.mkdir(parents=True, exist_ok=True)
        (out / name.replace("/", "_")).write_bytes(data)
        return 1
    return 0


def main():
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.exists():
        sys.exit(f"no corpus at {CORPUS} (pass its path)")
    counts = {}
    with manifest.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            path, fmt, kind = row["path"], row["format"].lower(), row["kind"]
            data = (CORPUS / path).read_bytes()
            targets = list(WHOLE.get(fmt, ["image", "sandbox"] if fmt in IMAGES else ["sandbox"]))
            if kind == "encrypted" and not path.startswith("pdf"):
                targets.append("encrypted")
            for target in targets:
                counts[target] = counts.get(target, 0) + put(target, path, data)
            if data.startswith(b"PK\x03\x04"):
                try:
                    with zipfile.ZipFile(CORPUS / path) as z:
                        for member in z.namelist():
                            for target, wanted in PARTS.items():
                                if wanted(member) and fmt in ("docx", "docm", "pptx", "xlsx", "xlsm"):
                                    counts[target] = counts.get(target, 0) + put(target, f"{path}:{member}", z.read(member))
                except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError):
                    pass  # hostile and encrypted archives stay whole-file seeds only
    for name, data in RTF_SEEDS.items():
        counts["rtf"] = counts.get("rtf", 0) + put("rtf", name, data)
    sample = HERE.parent / "samples" / "welcome.pdf"
    for target in ("pdf", "sandbox"):
        counts[target] = counts.get(target, 0) + put(target, "welcome.pdf", sample.read_bytes())
    for target in sorted(counts):
        print(f"{target:<10} {counts[target]} seeds")


if __name__ == "__main__":
    main()
