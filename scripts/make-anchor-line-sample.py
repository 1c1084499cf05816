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
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from odt_to_doc import NS, save_as_doc  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else "."

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
save_as_doc('anchor-line', content, styles, out)
