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
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from odt_to_doc import NS, save_as_doc  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else "."


def png(width, height, rgb):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


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
save_as_doc('page-border', content, styles, out, [("Pictures/blue.png", png(48, 24, (0, 0, 255)))])
