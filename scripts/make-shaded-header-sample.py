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
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from odt_to_doc import NS, save_as_doc  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else "."

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
save_as_doc('shaded-header', content, styles, out)
