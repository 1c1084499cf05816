#!/usr/bin/env python3
"""Writes tests/files/shaded-header.doc, a Word 97-2003 document: an OpenDocument text written
here, saved by LibreOffice in the binary .doc format. US Letter, 1 in margins all round.
- The header: one paragraph "Header" shaded light grey (#c0c0c0), boxed by a 0.5 pt border of
  the same grey 9 pt out from the text (a paragraph border's space, dptSpace): the shading
  fills that space too, so the header is one grey block.
- The footer: one paragraph "Footer", its bottom 0.5 in above the page's edge. Its story
  ends with the guard paragraph mark that is not part of it.
- The body: a one-cell table 3 in wide set at the right margin (sprmTJc), black borders,
  holding "Right".

Needs soffice (LibreOffice Writer). Usage:

  python3 scripts/make-shaded-header-sample.py tests/files
"""
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

out = sys.argv[1] if len(sys.argv) > 1 else "."

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"')
styles = (f'<office:document-styles {NS} office:version="1.2"><office:automatic-styles>'
          '<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="8.5in" fo:page-height="11in" '
          'fo:margin-top="0.5in" fo:margin-bottom="0.5in" fo:margin-left="1in" fo:margin-right="1in"/>'
          '<style:header-style><style:header-footer-properties fo:min-height="0.5in" fo:margin-bottom="0in"/></style:header-style>'
          '<style:footer-style><style:header-footer-properties fo:min-height="0.5in" fo:margin-top="0in"/></style:footer-style>'
          '</style:page-layout><style:style style:name="H" style:family="paragraph">'
          '<style:paragraph-properties fo:background-color="#c0c0c0" fo:border="0.5pt solid #c0c0c0" fo:padding="9pt"/>'
          '</style:style></office:automatic-styles><office:master-styles>'
          '<style:master-page style:name="Standard" style:page-layout-name="pm1">'
          '<style:header><text:p text:style-name="H">Header</text:p></style:header>'
          '<style:footer><text:p>Footer</text:p></style:footer></style:master-page>'
          '</office:master-styles></office:document-styles>')
content = (f'<office:document-content {NS} office:version="1.2"><office:automatic-styles>'
           '<style:style style:name="T" style:family="table"><style:table-properties style:width="3in" table:align="right"/></style:style>'
           '<style:style style:name="C" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="2pt"/></style:style>'
           '</office:automatic-styles><office:body><office:text>'
           '<text:p>Body text.</text:p>'
           '<table:table table:name="T" table:style-name="T"><table:table-column/><table:table-row>'
           '<table:table-cell table:style-name="C"><text:p>Right</text:p></table:table-cell></table:table-row></table:table>'
           '<text:p/></office:text></office:body></office:document-content>')
manifest = ('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/></manifest:manifest>')
with tempfile.TemporaryDirectory() as tmp:
    source = os.path.join(tmp, "shaded-header.odt")
    with zipfile.ZipFile(source, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
        z.writestr("styles.xml", styles)
    profile = "file://" + os.path.join(tmp, "profile")
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc:MS Word 97",
                    "--outdir", tmp, source], check=True, capture_output=True)
    shutil.copy(os.path.join(tmp, "shaded-header.doc"), os.path.join(out, "shaded-header.doc"))
print("wrote", os.path.join(out, "shaded-header.doc"))
