#!/usr/bin/env python3
"""Writes tests/files/highlight.doc, a Word 97-2003 document: a DOCX written here, saved by
LibreOffice in the binary .doc format. US Letter, 1 in margins, one line of black 24 pt
Arial: "aaaa " then "bbbb" highlighted yellow (sprmCHighlight), " cccc " then "dddd" with
green run shading (sprmCShd).

Needs soffice (LibreOffice Writer). Usage:

  python3 scripts/make-highlight-sample.py tests/files
"""
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

out = sys.argv[1] if len(sys.argv) > 1 else "."
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def run(text, extra=""):
    return (f'<w:r><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>{extra}<w:sz w:val="48"/></w:rPr>'
            f'<w:t xml:space="preserve">{text}</w:t></w:r>')


body = ("<w:p>" + run("aaaa ") + run("bbbb", '<w:highlight w:val="yellow"/>') + run(" cccc ")
        + run("dddd", '<w:shd w:val="clear" w:color="auto" w:fill="00FF00"/>') + "</w:p>")
document = (f'<w:document {W}><w:body>{body}<w:sectPr><w:pgSz w:w="12240" w:h="15840"/>'
            '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720"/>'
            '</w:sectPr></w:body></w:document>')
parts = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    "word/document.xml": document,
}
with tempfile.TemporaryDirectory() as tmp:
    source = os.path.join(tmp, "highlight.docx")
    with zipfile.ZipFile(source, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    profile = "file://" + os.path.join(tmp, "profile")
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc:MS Word 97",
                    "--outdir", tmp, source], check=True, capture_output=True)
    shutil.copy(os.path.join(tmp, "highlight.doc"), os.path.join(out, "highlight.doc"))
print("wrote", os.path.join(out, "highlight.doc"))
