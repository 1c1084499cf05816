#!/usr/bin/env python3
"""Writes tests/files/layout.doc, the Word 97-2003 test document: an RTF written here,
saved by LibreOffice in the binary .doc format (no Python library writes it). A4 portrait,
1 in margins (72 pt at 72 DPI):

  header    "Page N" right-aligned (a PAGE field), on every page;
  page 1    a red (#FF0000) bold 20 pt title, centred;
            a paragraph of black 12 pt Arial text;
            a numbered list of three items ("1.", "2.", "3.");
            a 2 x 2 table 3 in wide (two 1.5 in columns) with black 1 pt borders; its
            second row's first cell is shaded cyan (#00FFFF);
            a 2 x 1 in picture: solid blue (#0000FF);
            green (#008000) 28 pt text;
            a footnote on the word "note";
  page 2    after a page break, 12 pt text "Second page", then a floating 2 x 0.5 in
            text box holding red 12 pt text "Boxed text".

LibreOffice keeps no preview picture in a .doc, so the file stays small.

Needs Pillow and soffice (LibreOffice Writer). Usage:

  python3 scripts/make-doc-sample.py tests/files
"""
import io
import os
import shutil
import subprocess
import sys
import tempfile

from PIL import Image

out = sys.argv[1] if len(sys.argv) > 1 else "."
png = io.BytesIO()
Image.new("RGB", (40, 20), (0, 0, 255)).save(png, "PNG")
border = "\\clbrdrt\\brdrs\\brdrw20\\clbrdrl\\brdrs\\brdrw20\\clbrdrb\\brdrs\\brdrw20\\clbrdrr\\brdrs\\brdrw20"
row = lambda shade: f"\\trowd\\trgaph108{border}{shade}\\cellx2160{border}\\cellx4320"
rtf = (
    "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}"
    "{\\colortbl;\\red255\\green0\\blue0;\\red0\\green255\\blue255;\\red0\\green128\\blue0;}"
    "\\paperw11906\\paperh16838\\margl1440\\margr1440\\margt1440\\margb1440\\headery720"
    "{\\header\\pard\\qr\\f0\\fs20 Page {\\field{\\*\\fldinst PAGE}{\\fldrslt 1}}\\par}"
    "\\pard\\qc\\sa240\\f0\\fs40\\b\\cf1 Ward report\\par"
    "\\pard\\ql\\sa120\\plain\\f0\\fs24 This paragraph is plain black twelve point text that runs"
    " across more than one line of the page, to show wrapping between the margins.\\par"
    "{\\*\\listtable{\\list\\listtemplateid1{\\listlevel\\levelnfc0\\levelstartat1\\leveljc0"
    "{\\leveltext\\'02\\'00.;}{\\levelnumbers\\'01;}\\fi-360\\li720}\\listid1}}"
    "{\\*\\listoverridetable{\\listoverride\\listid1\\listoverridecount0\\ls1}}"
    "\\pard\\ls1\\fi-360\\li720\\f0\\fs24 First item\\par"
    "\\pard\\ls1\\fi-360\\li720 Second item\\par"
    "\\pard\\ls1\\fi-360\\li720 Third item\\par"
    + row("") + "\\pard\\intbl\\f0\\fs24 A1\\cell B1\\cell\\row"
    + row("\\clcbpat2") + "\\pard\\intbl A2\\cell B2\\cell\\row"
    "\\pard\\sb120{\\*\\shppict{\\pict\\pngblip\\picw40\\pich20\\picwgoal2880\\pichgoal1440 "
    + png.getvalue().hex()
    + "}}\\par"
    "\\pard\\plain\\f0\\fs56\\cf3 Green text\\par"
    "\\pard\\plain\\f0\\fs24 A sentence with a note{\\super\\chftn}"
    "{\\footnote\\pard\\plain\\f0\\fs20{\\super\\chftn} The footnote text.}.\\par"
    "\\page\\pard\\plain\\f0\\fs24 Second page\\par"
    "\\pard{\\shp{\\*\\shpinst\\shpleft0\\shptop0\\shpright2880\\shpbottom720\\shpwr3\\shpbxcolumn\\shpbypara"
    "{\\sp{\\sn shapeType}{\\sv 202}}{\\shptxt\\pard\\plain\\f0\\fs24\\cf1 Boxed text\\par}}}\\par}"
)
with tempfile.TemporaryDirectory() as tmp:
    source = os.path.join(tmp, "layout.rtf")
    with open(source, "w") as f:
        f.write(rtf)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "doc:MS Word 97", "--outdir", tmp, source],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shutil.copy(os.path.join(tmp, "layout.doc"), os.path.join(out, "layout.doc"))
print(os.path.join(out, "layout.doc"))
