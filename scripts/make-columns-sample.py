#!/usr/bin/env python3
"""Writes tests/files/columns.doc, a Word 97-2003 document in two sections: an RTF written
here, saved by LibreOffice in the binary .doc format. US Letter, 1 in margins:

  section 1  a red (#FF0000) bold 16 pt heading, one column;
  section 2  continuous (on the same page), two columns 3 in wide and 0.5 in apart,
             holding 80 paragraphs of blue (#0000FF) bold 16 pt text: more than the two
             columns of page 1 hold.

The same RTF is the input of the RTF columns test (tests/it/rtf.rs builds it itself).
Needs soffice (LibreOffice Writer). Usage:

  python3 scripts/make-columns-sample.py tests/files
"""
import os
import shutil
import subprocess
import sys
import tempfile

out = sys.argv[1] if len(sys.argv) > 1 else "."
lines = "".join(f"\\pard\\plain\\b\\fs32\\cf2 Column text {i}\\par\n" for i in range(80))
rtf = (
    "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}"
    "{\\colortbl;\\red255\\green0\\blue0;\\red0\\green0\\blue255;}"
    "\\paperw12240\\paperh15840\\margl1440\\margr1440\\margt1440\\margb1440\n"
    "\\sectd\\pard\\plain\\b\\fs32\\cf1 Heading across the page\\par\n"
    "\\sect\\sectd\\sbknone\\cols2\\colsx720\n"
    f"{lines}}}"
)
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "columns.rtf")
    with open(src, "w") as f:
        f.write(rtf)
    profile = "file://" + os.path.join(tmp, "profile")
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc:MS Word 97", "--outdir", tmp, src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.copy(os.path.join(tmp, "columns.doc"), os.path.join(out, "columns.doc"))
