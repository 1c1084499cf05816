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


def compound_streams(data):
    """The root streams of a compound file (CFB), by name: a small reader for seeding,
    following the FAT and the mini FAT; no olefile needed."""
    import struct
    sector = 1 << struct.unpack_from("<H", data, 30)[0]
    mini = 1 << struct.unpack_from("<H", data, 32)[0]
    dir_start, mini_cutoff, minifat_start, minifat_count, difat_start, difat_count = struct.unpack_from("<I4xIIIII", data, 48)
    difat = [x for x in struct.unpack_from("<109I", data, 76) if x < 0xFFFFFFFA]

    def read_sector(n):
        return data[(n + 1) * sector:(n + 2) * sector]
    fat = []
    for n in difat:
        fat += struct.unpack(f"<{sector // 4}I", read_sector(n))

    def chain(start):
        out, n, seen = b"", start, set()
        while n < len(fat) and n not in seen:
            seen.add(n)
            out += read_sector(n)
            n = fat[n]
        return out
    directory = chain(dir_start)
    entries = [directory[i:i + 128] for i in range(0, len(directory), 128)]
    root = entries[0]
    ministream = chain(struct.unpack_from("<I", root, 116)[0])
    minifat = list(struct.unpack(f"<{len(chain(minifat_start)) // 4}I", chain(minifat_start))) if minifat_count else []
    streams = {}
    for e in entries:
        if len(e) < 128 or e[66] != 2:
            continue
        name = e[:struct.unpack_from("<H", e, 64)[0]].decode("utf-16-le").rstrip("\0")
        start, size = struct.unpack_from("<IQ", e, 116)
        if size < mini_cutoff:
            out, n, seen = b"", start, set()
            while n < len(minifat) and n not in seen:
                seen.add(n)
                out += ministream[n * mini:(n + 1) * mini]
                n = minifat[n]
        else:
            out = chain(start)
        streams[name] = out[:size]
    return streams
CORPUS = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "corpus"
MAX_SEED = 512 << 10

# format column of MANIFEST.tsv -> targets fed the whole file
WHOLE = {
    "pdf": ["pdf", "sandbox"],
    "docx": ["docx", "sandbox"], "docm": ["docx", "sandbox"], "doc": ["sandbox"],
    "pptx": ["pptx", "sandbox"],
    "xlsx": ["sheet", "sandbox"], "xlsm": ["sheet", "sandbox"], "xls": ["sheet", "sandbox"], "ods": ["sheet", "sandbox"],
    "odt": ["odt", "sandbox"], "odp": ["odp", "sandbox"], "ppt": ["ppt", "sandbox"],
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
    "chart": lambda n: "/charts/chart" in n and n.endswith(".xml"),
    "emf": lambda n: n.lower().endswith(".emf"),
    "odt": lambda n: n == "content.xml",
    "odp": lambda n: n == "content.xml",
}


def emf_seed():
    import struct
    text = "Ward A".encode("utf-16-le")
    records = [
        [39, 24, 1, 0, 0x0000FF, 0], [37, 12, 1], [38, 28, 2, 0, 3, 0, 0xFF0000], [37, 12, 2],
        [9, 16, 1000, 500], [11, 16, 200, 100], [17, 12, 8],
        [43, 24, 0, 0, 500, 500], [42, 24, 600, 100, 900, 400],
        [2, 28 + 8 * 4, 0, 0, 0, 0, 4, 0, 0, 300, 400, 600, 0, 900, 500],
        [22, 12, 24], [24, 12, 0x00AA00],
    ]
    body = b"".join(struct.pack(f"<{len(r)}I", *r) for r in records)
    # EXTTEXTOUTW: bounds, mode, scales, reference, chars, offString, options, rectangle, offDx.
    ext = struct.pack("<II4iIffiiIII4iI", 84, 76 + len(text), 0, 0, 0, 0, 1, 1.0, 1.0, 100, 450, len(text) // 2, 76, 0, 0, 0, 0, 0, 0) + text
    ext += b"\0" * (-len(ext) % 4)
    ext = ext[:4] + struct.pack("<I", len(ext)) + ext[8:]
    body += ext + struct.pack("<5I", 14, 20, 0, 16, 20)
    header = struct.pack("<II4i4iIIIIHHIIIiiii", 1, 88, 0, 0, 199, 99, 0, 0, 5292, 2646, 0x464D4520, 0x10000, 88 + len(body), 16, 3, 0, 0, 0, 0, 1920, 960, 508, 254)
    return header + body


def wmf_seed():
    import struct
    def record(function, params):
        return struct.pack(f"<IH{len(params)}H", 3 + len(params), function, *params)
    records = b"".join([
        record(0x02FC, [0, 0x00FF, 0, 0]), record(0x012D, [0]), record(0x02FA, [0, 1, 0, 0x0000, 0x00FF]), record(0x012D, [1]),
        record(0x020B, [0, 0]), record(0x020C, [100, 200]), record(0x041B, [100, 100, 0, 0]), record(0x0418, [80, 180, 20, 120]),
        record(0x0325, [3, 0, 0, 50, 90, 100, 0]), record(0x0521, [4]) + b"Ward" + struct.pack("<hh", 50, 10), record(0, []),
    ])
    words = 9 + len(records) // 2
    header = struct.pack("<HHHIHIH", 1, 9, 0x0300, words, 2, 16, 0)
    placeable = struct.pack("<IHhhhhHIH", 0x9AC6CDD7, 0, 0, 0, 200, 100, 96, 0, 0)
    return placeable + header + records


def chart_seed(kind):
    ser = "".join(
        f'<c:ser><c:idx val="{i}"/><c:tx><c:strRef><c:strCache><c:pt idx="0"><c:v>S{i}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
        f'<c:cat><c:strRef><c:strCache><c:ptCount val="3"/><c:pt idx="0"><c:v>a</c:v></c:pt><c:pt idx="1"><c:v>b</c:v></c:pt><c:pt idx="2"><c:v>c</c:v></c:pt></c:strCache></c:strRef></c:cat>'
        f'<c:val><c:numRef><c:numCache><c:formatCode>0.0</c:formatCode><c:ptCount val="3"/><c:pt idx="0"><c:v>{1 + i}</c:v></c:pt><c:pt idx="1"><c:v>{5 - i}</c:v></c:pt><c:pt idx="2"><c:v>3</c:v></c:pt></c:numCache></c:numRef></c:val>'
        f'<c:xVal><c:numRef><c:numCache><c:pt idx="0"><c:v>1</c:v></c:pt><c:pt idx="1"><c:v>2</c:v></c:pt><c:pt idx="2"><c:v>4</c:v></c:pt></c:numCache></c:numRef></c:xVal>'
        f'<c:bubbleSize><c:numRef><c:numCache><c:pt idx="0"><c:v>1</c:v></c:pt><c:pt idx="1"><c:v>3</c:v></c:pt></c:numCache></c:numRef></c:bubbleSize></c:ser>'
        for i in range(2))
    return (f'<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            f'<c:chart><c:title><c:tx><c:rich><a:p><a:r><a:t>{kind}</a:t></a:r></a:p></c:rich></c:tx></c:title><c:plotArea>'
            f'<c:{kind}><c:grouping val="stacked"/><c:varyColors val="1"/>{ser}<c:dLbls><c:showVal val="1"/></c:dLbls><c:axId val="1"/><c:axId val="2"/></c:{kind}>'
            f'<c:catAx><c:axId val="1"/><c:axPos val="b"/></c:catAx><c:valAx><c:axId val="2"/><c:axPos val="l"/><c:majorGridlines/></c:valAx>'
            f'</c:plotArea><c:legend><c:legendPos val="r"/></c:legend></c:chart></c:chartSpace>').encode()


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
                                if wanted(member) and (fmt == target if target in ("odt", "odp") else fmt in ("docx", "docm", "pptx", "xlsx", "xlsm", "zip")):
                                    counts[target] = counts.get(target, 0) + put(target, f"{path}:{member}", z.read(member))
                except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError):
                    pass  # hostile and encrypted archives stay whole-file seeds only
    # A small EMF (a rectangle, an ellipse, a Bézier curve, text) and a chart of each
    # common kind, for the targets the corpus feeds little.
    counts["emf"] = counts.get("emf", 0) + put("emf", "shapes.emf", emf_seed()) + put("emf", "shapes.wmf", wmf_seed())
    for kind in ("barChart", "lineChart", "pieChart", "doughnutChart", "areaChart", "scatterChart", "bubbleChart", "radarChart"):
        counts["chart"] = counts.get("chart", 0) + put("chart", f"{kind}.xml", chart_seed(kind))
    for name, data in RTF_SEEDS.items():
        counts["rtf"] = counts.get("rtf", 0) + put("rtf", name, data)
    # The corpus holds no PowerPoint 97-2003 file: the committed test deck seeds that target.
    deck = HERE.parent / "tests" / "files" / "shapes.ppt"
    for target in ("ppt", "sandbox"):
        counts[target] = counts.get(target, 0) + put(target, "shapes.ppt", deck.read_bytes())
    # Nor Word 97-2003: the committed test document seeds that target whole, and framed as
    # the target reads bare inputs (its WordDocument stream's length, that stream, then
    # the table stream), so mutations reach the streams rather than the container.
    layout = (HERE.parent / "tests" / "files" / "layout.doc").read_bytes()
    for target in ("doc", "sandbox"):
        counts[target] = counts.get(target, 0) + put(target, "layout.doc", layout)
    streams = compound_streams(layout)
    word, table = streams.get("WordDocument"), streams.get("1Table") or streams.get("0Table")
    if word and table:
        counts["doc"] += put("doc", "layout.streams", len(word).to_bytes(4, "little") + word + table)
    # The encrypted Word and PowerPoint test files (their passwords are not the fuzzing
    # password, so decryption is exercised up to the key check).
    for name, target in (("encrypted-rc4.doc", "doc"), ("encrypted-cryptoapi.doc", "doc"), ("encrypted.ppt", "ppt")):
        data = (HERE.parent / "tests" / "files" / name).read_bytes()
        for t in (target, "encrypted"):
            counts[t] = counts.get(t, 0) + put(t, name, data)
    sample = HERE.parent / "samples" / "welcome.pdf"
    for target in ("pdf", "sandbox"):
        counts[target] = counts.get(target, 0) + put(target, "welcome.pdf", sample.read_bytes())
    for target in sorted(counts):
        print(f"{target:<10} {counts[target]} seeds")


if __name__ == "__main__":
    main()
