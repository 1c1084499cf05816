#!/usr/bin/env python3
"""Writes tests/files/anchor-line.doc, a Word 97-2003 document: an OpenDocument text written
here, saved by LibreOffice in the binary .doc format. US Letter, 1 in margins, no header.
- The body's first paragraph holds only the anchor of a text box ("Box", 3 in from the
  margin, 1 by 0.5 in): in Word and LibreOffice it keeps its own empty 12 pt line.
- The same paragraph anchors two drawing shapes without text: a green ellipse 1 by 0.5 in,
  1.5 in down, and a red rectangle 1 by 0.5 in, 3 in across and 1.5 in down, no outlines.
- Then a paragraph in blue, "Blue line", whose top is one line below the margin.

Needs soffice (LibreOffice Writer). Usage:

  python3 scripts/make-anchor-line-sample.py tests/files
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
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"')
styles = (f'<office:document-styles {NS} office:version="1.2"><office:styles>'
          '<style:default-style style:family="paragraph"><style:text-properties fo:font-size="12pt" style:font-name="Liberation Serif"/></style:default-style>'
          '</office:styles><office:automatic-styles>'
          '<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="8.5in" fo:page-height="11in" '
          'fo:margin-top="1in" fo:margin-bottom="1in" fo:margin-left="1in" fo:margin-right="1in"/></style:page-layout>'
          '</office:automatic-styles><office:master-styles>'
          '<style:master-page style:name="Standard" style:page-layout-name="pm1"/>'
          '</office:master-styles></office:document-styles>')
content = (f'<office:document-content {NS} office:version="1.2"><office:automatic-styles>'
           '<style:style style:name="B" style:family="paragraph"><style:text-properties fo:color="#0000ff"/></style:style>'
           '<style:style style:name="F" style:family="graphic"><style:graphic-properties style:wrap="run-through" '
           'style:vertical-pos="from-top" style:vertical-rel="paragraph" style:horizontal-pos="from-left" style:horizontal-rel="paragraph" '
           'fo:border="0.5pt solid #000000"/></style:style>'
           '<style:style style:name="G" style:family="graphic"><style:graphic-properties draw:fill="solid" draw:fill-color="#00ff00" draw:stroke="none" '
           'style:wrap="run-through" style:vertical-pos="from-top" style:vertical-rel="paragraph" style:horizontal-pos="from-left" style:horizontal-rel="paragraph"/></style:style>'
           '<style:style style:name="R" style:family="graphic" style:parent-style-name="G"><style:graphic-properties draw:fill-color="#ff0000"/></style:style>'
           '</office:automatic-styles><office:body><office:text>'
           '<text:p><draw:frame draw:style-name="F" text:anchor-type="paragraph" svg:x="3in" svg:y="0in" svg:width="1in" svg:height="0.5in">'
           '<draw:text-box><text:p>Box</text:p></draw:text-box></draw:frame>'
           '<draw:ellipse draw:style-name="G" text:anchor-type="paragraph" svg:x="0in" svg:y="1.5in" svg:width="1in" svg:height="0.5in"/>'
           '<draw:rect draw:style-name="R" text:anchor-type="paragraph" svg:x="3in" svg:y="1.5in" svg:width="1in" svg:height="0.5in"/></text:p>'
           '<text:p text:style-name="B">Blue line</text:p></office:text></office:body></office:document-content>')
manifest = ('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/></manifest:manifest>')
with tempfile.TemporaryDirectory() as tmp:
    source = os.path.join(tmp, "anchor-line.odt")
    with zipfile.ZipFile(source, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
        z.writestr("styles.xml", styles)
    profile = "file://" + os.path.join(tmp, "profile")
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc:MS Word 97",
                    "--outdir", tmp, source], check=True, capture_output=True)
    shutil.copy(os.path.join(tmp, "anchor-line.doc"), os.path.join(out, "anchor-line.doc"))
print("wrote", os.path.join(out, "anchor-line.doc"))
