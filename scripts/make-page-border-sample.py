#!/usr/bin/env python3
"""Writes tests/files/page-border.doc, a Word 97-2003 document: an OpenDocument text written
here, saved by LibreOffice in the binary .doc format. US Letter, 1 in margins, a red 1.5 pt
page border 12 pt outside the text on every page (sprmSBrc*), a header holding "Header",
a floating 72 x 36 pt blue picture (a shape anchored in the header's story, PlcfSpaHdr)
and a text box with "Boxed" in green 14 pt (a header text box story, PlcfHdrtxbxTxt), and
one line of body text.

Needs soffice (LibreOffice Writer). Usage:

  python3 scripts/make-page-border-sample.py tests/files
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

out = sys.argv[1] if len(sys.argv) > 1 else "."


def png(width, height, rgb):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:xlink="http://www.w3.org/1999/xlink"')
styles = (f'<office:document-styles {NS} office:version="1.2"><office:automatic-styles>'
          '<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="8.5in" fo:page-height="11in" '
          'fo:margin-top="0.5in" fo:margin-bottom="1in" fo:margin-left="0.8333in" fo:margin-right="0.8333in" '
          'fo:border="1.5pt solid #ff0000" fo:padding="12pt"/>'
          '<style:header-style><style:header-footer-properties fo:min-height="0.5in" fo:margin-bottom="0in"/></style:header-style>'
          '</style:page-layout><style:style style:name="G" style:family="paragraph">'
          '<style:text-properties fo:color="#00a000" fo:font-size="14pt"/></style:style>'
          '<style:style style:name="fr" style:family="graphic"><style:graphic-properties style:horizontal-pos="from-left" '
          'style:horizontal-rel="paragraph" style:vertical-pos="from-top" style:vertical-rel="paragraph" style:wrap="none" '
          'fo:border="none" draw:fill="none"/></style:style></office:automatic-styles><office:master-styles>'
          '<style:master-page style:name="Standard" style:page-layout-name="pm1"><style:header><text:p>Header'
          '<draw:frame draw:name="logo" draw:style-name="fr" text:anchor-type="paragraph" svg:x="5.5in" svg:y="0in" svg:width="1in" svg:height="0.5in">'
          '<draw:image xlink:href="Pictures/blue.png"/></draw:frame>'
          '<draw:frame draw:name="box" draw:style-name="fr" text:anchor-type="paragraph" svg:x="2in" svg:y="0in" svg:width="1in" svg:height="0.4in">'
          '<draw:text-box><text:p text:style-name="G">Boxed</text:p></draw:text-box></draw:frame></text:p></style:header></style:master-page>'
          '</office:master-styles></office:document-styles>')
content = (f'<office:document-content {NS} office:version="1.2"><office:body><office:text>'
           '<text:p>Body text.</text:p></office:text></office:body></office:document-content>')
manifest = ('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
            '<manifest:file-entry manifest:full-path="Pictures/blue.png" manifest:media-type="image/png"/></manifest:manifest>')
with tempfile.TemporaryDirectory() as tmp:
    source = os.path.join(tmp, "page-border.odt")
    with zipfile.ZipFile(source, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
        z.writestr("styles.xml", styles)
        z.writestr("Pictures/blue.png", png(48, 24, (0, 0, 255)))
    profile = "file://" + os.path.join(tmp, "profile")
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc:MS Word 97",
                    "--outdir", tmp, source], check=True, capture_output=True)
    shutil.copy(os.path.join(tmp, "page-border.doc"), os.path.join(out, "page-border.doc"))
print("wrote", os.path.join(out, "page-border.doc"))
