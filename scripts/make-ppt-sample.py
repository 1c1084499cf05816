#!/usr/bin/env python3
"""Writes tests/files/shapes.ppt, the PowerPoint 97-2003 test deck: an OpenDocument
presentation written here, saved by LibreOffice in the binary format (no Python library
writes it). Slides are 10 x 7.5 in:

  slide 1  a white title and subtitle on a dark blue (#102060) background;
  slide 2  a title and an outline: a first-level and a second-level point; the master's
           slide number (bottom right) and footer ("Ward 4 East", bottom left), which only
           this slide shows (LibreOffice saves them as its own placeholders: black text
           in light blue boxes with a grey outline, as it shows them again);
  slide 3  a red rectangle (0.5 in, 0.5 in, 3 x 2 in), a blue ellipse (5 in, 0.5 in,
           3 x 2 in), a 6 pt green line at 3 in, a 3 x 2 in picture of orange and purple
           halves at (0.5 in, 3.5 in), a teal five-point path in (5 in, 3.5 in, 3 x
           2.5 in), and black 28 pt text at (0.5 in, 6 in).

LibreOffice stores a large preview picture in the SummaryInformation stream; the script
blanks it (the same size, all zeros: docsandbox never reads it) so that the file packs
small in git.

Needs olefile, Pillow and soffice (LibreOffice Impress). Usage:

  python3 scripts/make-ppt-sample.py tests/files
"""
import io
import os
import subprocess
import sys
import tempfile
import zipfile

import olefile
from PIL import Image

out = sys.argv[1] if len(sys.argv) > 1 else "."
NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" office:version="1.3"')
STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NS}><office:styles>
<style:default-style style:family="graphic"><style:text-properties fo:font-size="18pt" style:font-name="Liberation Sans"/></style:default-style>
<style:style style:name="M-title" style:family="presentation"><style:graphic-properties draw:fill="none" draw:stroke="none" draw:textarea-vertical-align="middle"/><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="40pt"/></style:style>
<style:style style:name="M-subtitle" style:family="presentation"><style:graphic-properties draw:fill="none" draw:stroke="none" draw:textarea-vertical-align="middle"/><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="28pt"/></style:style>
<style:style style:name="M-outline1" style:family="presentation"><style:graphic-properties draw:fill="none" draw:stroke="none"><text:list-style style:name="M-outline1"><text:list-level-style-bullet text:level="1" text:bullet-char="●"><style:list-level-properties text:space-before="0.3cm" text:min-label-width="0.9cm"/></text:list-level-style-bullet><text:list-level-style-bullet text:level="2" text:bullet-char="–"><style:list-level-properties text:space-before="1.6cm" text:min-label-width="0.8cm"/></text:list-level-style-bullet></text:list-style></style:graphic-properties><style:text-properties fo:font-size="32pt"/></style:style>
<style:style style:name="M-outline2" style:family="presentation" style:parent-style-name="M-outline1"><style:text-properties fo:font-size="28pt"/></style:style>
<style:style style:name="M-corner" style:family="presentation"><style:graphic-properties draw:fill="none" draw:stroke="none"/><style:text-properties fo:font-size="24pt" fo:color="#c00000"/></style:style>
<style:style style:name="right" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/></style:style>
</office:styles><office:automatic-styles>
<style:page-layout style:name="PM1"><style:page-layout-properties fo:page-width="25.4cm" fo:page-height="19.05cm" fo:margin="0cm"/></style:page-layout>
</office:automatic-styles><office:master-styles><style:master-page style:name="M" style:page-layout-name="PM1">
<draw:frame presentation:style-name="M-title" svg:x="1.27cm" svg:y="0.76cm" svg:width="22.86cm" svg:height="3.18cm" presentation:class="title" presentation:placeholder="true"><draw:text-box/></draw:frame>
<draw:frame presentation:style-name="M-outline1" svg:x="1.27cm" svg:y="4.45cm" svg:width="22.86cm" svg:height="12.57cm" presentation:class="outline" presentation:placeholder="true"><draw:text-box/></draw:frame>
<draw:frame presentation:style-name="M-corner" svg:x="19cm" svg:y="17.5cm" svg:width="6cm" svg:height="1.5cm" presentation:class="page-number"><draw:text-box><text:p text:style-name="right"><text:page-number>&lt;number&gt;</text:page-number></text:p></draw:text-box></draw:frame>
<draw:frame presentation:style-name="M-corner" svg:x="0.5cm" svg:y="17.5cm" svg:width="12cm" svg:height="1.5cm" presentation:class="footer"><draw:text-box><text:p><presentation:footer/></text:p></draw:text-box></draw:frame>
</style:master-page></office:master-styles></office:document-styles>"""
CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {NS}><office:automatic-styles>
<style:style style:name="dp1" style:family="drawing-page"><style:drawing-page-properties draw:fill="solid" draw:fill-color="#102060" presentation:background-visible="true"/></style:style>
<style:style style:name="dp2" style:family="drawing-page"><style:drawing-page-properties presentation:display-page-number="true" presentation:display-footer="true"/></style:style>
<style:style style:name="white" style:family="paragraph"><style:text-properties fo:color="#ffffff"/></style:style>
<style:style style:name="red" style:family="graphic"><style:graphic-properties draw:fill="solid" draw:fill-color="#e01010" draw:stroke="none"/></style:style>
<style:style style:name="blue" style:family="graphic"><style:graphic-properties draw:fill="solid" draw:fill-color="#1010e0" draw:stroke="none"/></style:style>
<style:style style:name="teal" style:family="graphic"><style:graphic-properties draw:fill="solid" draw:fill-color="#008080" draw:stroke="none"/></style:style>
<style:style style:name="green" style:family="graphic"><style:graphic-properties draw:stroke="solid" svg:stroke-color="#00a000" svg:stroke-width="0.21cm"/></style:style>
<style:style style:name="plain" style:family="graphic"><style:graphic-properties draw:fill="none" draw:stroke="none" draw:auto-grow-height="true" fo:min-height="1cm"/></style:style>
<style:style style:name="big" style:family="paragraph"><style:text-properties fo:font-size="28pt" fo:color="#000000"/></style:style>
</office:automatic-styles><office:body><office:presentation>
<presentation:footer-decl presentation:name="ftr1">Ward 4 East</presentation:footer-decl>
<draw:page draw:name="one" draw:style-name="dp1" draw:master-page-name="M">
<draw:frame presentation:style-name="M-title" svg:x="1.27cm" svg:y="5.9cm" svg:width="22.86cm" svg:height="4.09cm" presentation:class="title"><draw:text-box><text:p text:style-name="white">Ward report</text:p></draw:text-box></draw:frame>
<draw:frame presentation:style-name="M-subtitle" svg:x="3.81cm" svg:y="10.8cm" svg:width="17.78cm" svg:height="4.87cm" presentation:class="subtitle"><draw:text-box><text:p text:style-name="white">Night shift</text:p></draw:text-box></draw:frame>
</draw:page>
<draw:page draw:name="two" draw:style-name="dp2" draw:master-page-name="M" presentation:use-footer-name="ftr1">
<draw:frame presentation:style-name="M-title" svg:x="1.27cm" svg:y="0.76cm" svg:width="22.86cm" svg:height="3.18cm" presentation:class="title"><draw:text-box><text:p>Findings</text:p></draw:text-box></draw:frame>
<draw:frame presentation:style-name="M-outline1" svg:x="1.27cm" svg:y="4.45cm" svg:width="22.86cm" svg:height="12.57cm" presentation:class="outline"><draw:text-box><text:list text:style-name="M-outline1"><text:list-item><text:p>Beds occupied</text:p><text:list><text:list-item><text:p>Ward B</text:p></text:list-item></text:list></text:list-item></text:list></draw:text-box></draw:frame>
</draw:page>
<draw:page draw:name="three" draw:master-page-name="M">
<draw:rect draw:style-name="red" svg:x="1.27cm" svg:y="1.27cm" svg:width="7.62cm" svg:height="5.08cm"/>
<draw:ellipse draw:style-name="blue" svg:x="12.7cm" svg:y="1.27cm" svg:width="7.62cm" svg:height="5.08cm"/>
<draw:line draw:style-name="green" svg:x1="1.27cm" svg:y1="7.62cm" svg:x2="24.13cm" svg:y2="7.62cm"/>
<draw:frame draw:style-name="plain" svg:x="1.27cm" svg:y="8.89cm" svg:width="7.62cm" svg:height="5.08cm"><draw:image xlink:href="Pictures/halves.png"/></draw:frame>
<draw:path draw:style-name="teal" svg:x="12.7cm" svg:y="8.89cm" svg:width="7.62cm" svg:height="6.35cm" svg:viewBox="0 0 300 250" svg:d="M0 0L300 0 300 200 150 250 0 200Z"/>
<draw:frame draw:style-name="plain" svg:x="1.27cm" svg:y="15.24cm" svg:width="15.24cm" svg:height="2.54cm"><draw:text-box><text:p text:style-name="big">Checked at 06:00</text:p></draw:text-box></draw:frame>
</draw:page>
</office:presentation></office:body></office:document-content>"""
MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.presentation"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="Pictures/halves.png" manifest:media-type="image/png"/>
</manifest:manifest>"""

picture = Image.new("RGB", (30, 20), (0xFF, 0x80, 0x00))
picture.paste((0x80, 0x00, 0x80), (15, 0, 30, 20))
png = io.BytesIO()
picture.save(png, "PNG")

with tempfile.TemporaryDirectory() as tmp:
    source = os.path.join(tmp, "shapes.odp")
    with zipfile.ZipFile(source, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.presentation")
        z.writestr("content.xml", CONTENT)
        z.writestr("styles.xml", STYLES)
        z.writestr("META-INF/manifest.xml", MANIFEST)
        z.writestr("Pictures/halves.png", png.getvalue())
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "ppt", "--outdir", out, source],
                   check=True, stdout=subprocess.DEVNULL)
target = os.path.join(out, "shapes.ppt")
with olefile.OleFileIO(target, write_mode=True) as ole:
    ole.write_stream("\x05SummaryInformation", bytes(ole.get_size("\x05SummaryInformation")))
print(target)
