#!/usr/bin/env python3
"""Writes tests/files/floats.doc and inline.doc, Word 97-2003 documents: DOCX files written
here, saved by LibreOffice in the binary .doc format. US Letter, 1 in margins.

floats.doc has two floating shapes:

  a red 2 in square picture at the left margin, at the top of the first paragraph, with
  text wrapped beside it (square) 9 pt away;
  a text box 2.5 x 1.25 in at the right margin, 2 in from the page's top, outlined in
  green, holding magenta bold 16 pt text, with text wrapped beside it;
  two paragraphs of blue (#0000FF) bold 12 pt text around them.

inline.doc has pictures set in the text: "Before [a green 1 x 0.5 in picture] after" in
blue, then a bordered table of two 3000-twip cells, "Cell" and a magenta 1 in square picture.

Needs soffice (LibreOffice Writer). Usage:

  python3 scripts/make-floats-sample.py tests/files
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
EMU = 12700
NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')


def png(width, height, rgb):
    raw = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def anchor(graphic, w, h, wrap, h_pos, v_pos):
    d = 9 * EMU
    return (f'<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="{d}" distR="{d}" simplePos="0" relativeHeight="1" '
            f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>{h_pos}{v_pos}'
            f'<wp:extent cx="{w * EMU}" cy="{h * EMU}"/>{wrap}<wp:docPr id="{w}" name="s{w}"/><a:graphic>'
            f'<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">{graphic}</a:graphicData>'
            '</a:graphic></wp:anchor></w:drawing></w:r>')


picture = ('<pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="red"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
           '<a:blip r:embed="rIdRed"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm>'
           f'<a:off x="0" y="0"/><a:ext cx="{144 * EMU}" cy="{144 * EMU}"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic>')
text_box = ('<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="{180 * EMU}" cy="{90 * EMU}"/></a:xfrm><a:prstGeom prst="rect"/><a:noFill/>'
            f'<a:ln w="{2 * EMU}"><a:solidFill><a:srgbClr val="00A000"/></a:solidFill></a:ln></wps:spPr><wps:txbx>'
            '<w:txbxContent><w:p><w:r><w:rPr><w:b/><w:color w:val="FF00FF"/><w:sz w:val="32"/></w:rPr><w:t>Boxed</w:t>'
            '</w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr lIns="91440" tIns="45720" rIns="91440" bIns="45720"/></wps:wsp>')
square = '<wp:wrapSquare wrapText="bothSides"/>'
red = anchor(picture, 144, 144, square, '<wp:positionH relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionH>',
             '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>')
boxed = anchor(text_box, 180, 90, square, '<wp:positionH relativeFrom="margin"><wp:align>right</wp:align></wp:positionH>',
               f'<wp:positionV relativeFrom="page"><wp:posOffset>{144 * EMU}</wp:posOffset></wp:positionV>')
blue = '<w:rPr><w:b/><w:color w:val="0000FF"/></w:rPr>'
words = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. " * 6
body = (f'<w:p>{red}{boxed}<w:r>{blue}<w:t xml:space="preserve">{words}</w:t></w:r></w:p>'
        f'<w:p><w:r>{blue}<w:t xml:space="preserve">{words}</w:t></w:r></w:p>')


def inline(rid, w, h):
    return (f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{w * EMU}" cy="{h * EMU}"/>'
            f'<wp:docPr id="{w + h}" name="i{rid}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic><pic:nvPicPr><pic:cNvPr id="2" name="{rid}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/>'
            f'<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{w * EMU}" cy="{h * EMU}"/>'
            '</a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


cell = '<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr><w:p>{}</w:p></w:tc>'
inline_body = (f'<w:p><w:r>{blue}<w:t xml:space="preserve">Before </w:t></w:r>{inline("rIdGreen", 72, 36)}'
               f'<w:r>{blue}<w:t xml:space="preserve"> after</w:t></w:r></w:p>'
               '<w:tbl><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/>'
               '<w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/>'
               '</w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid><w:tr>'
               + cell.format(f'<w:r>{blue}<w:t>Cell</w:t></w:r>') + cell.format(inline("rIdMagenta", 72, 72))
               + '</w:tr></w:tbl><w:p/>')


def save(name, body, pictures):
    """Writes `body` as a DOCX with `pictures` (relationship id, file name, colour) and saves
    it as `name` in Word 97 format."""
    document = (f'<w:document {NS}><w:body>{body}<w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" '
                'w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720"/></w:sectPr></w:body></w:document>')
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, name.replace(".doc", ".docx"))
        with zipfile.ZipFile(src, "w") as z:
            z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                       '<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>'
                       '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                       'wordprocessingml.document.main+xml"/></Types>')
            z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                       'officeDocument" Target="word/document.xml"/></Relationships>')
            rels = "".join(f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
                           f'Target="media/{file}"/>' for rid, file, _ in pictures)
            z.writestr("word/_rels/document.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       f'relationships">{rels}</Relationships>')
            for _, file, rgb in pictures:
                z.writestr(f"word/media/{file}", png(20, 20, rgb))
            z.writestr("word/document.xml", document)
        profile = "file://" + os.path.join(tmp, "profile")
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc:MS Word 97", "--outdir", tmp, src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.copy(os.path.join(tmp, name), os.path.join(out, name))


save("floats.doc", body, [("rIdRed", "red.png", (255, 0, 0))])
save("inline.doc", inline_body, [("rIdGreen", "green.png", (0, 255, 0)), ("rIdMagenta", "magenta.png", (255, 0, 255))])
