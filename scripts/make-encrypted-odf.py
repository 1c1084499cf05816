#!/usr/bin/python3
"""Writes the encrypted OpenDocument test files, as an office would: LibreOffice saves them
with a password (ODF 1.2 encryption: AES-256-CBC, PBKDF2, SHA-256 start key).

  odt: tests/files/encrypted.odt, one paragraph (red 28 pt "Encrypted"), password "odt-secret"
  odp: tests/files/encrypted.odp, one 20 x 10 cm slide with a red 8 x 4 cm rectangle at
       (2 cm, 2 cm), password "odp-secret"

Needs LibreOffice and the system Python with its UNO bridge (python3-uno, installed with
LibreOffice on Debian): /usr/bin/python3 scripts/make-encrypted-odf.py odt|odp
"""
import pathlib, subprocess, sys, tempfile, time, zipfile

import uno
from com.sun.star.beans import PropertyValue

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"')
CONTENT = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} office:version="1.2">'
           '<office:automatic-styles><style:style style:name="P1" style:family="paragraph">'
           '<style:text-properties fo:color="#ff0000" fo:font-size="28pt" style:font-name="Liberation Sans"/>'
           '</style:style></office:automatic-styles><office:body><office:text>'
           '<text:p text:style-name="P1">Encrypted</text:p></office:text></office:body></office:document-content>')
PRESENTATION_NS = NS + (' xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
                        ' xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"')
SLIDE = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {PRESENTATION_NS} office:version="1.2">'
         '<office:automatic-styles><style:style style:name="gr1" style:family="graphic">'
         '<style:graphic-properties draw:fill="solid" draw:fill-color="#ff0000" draw:stroke="none"/></style:style>'
         '</office:automatic-styles><office:body><office:presentation><draw:page draw:name="one">'
         '<draw:rect draw:style-name="gr1" svg:x="2cm" svg:y="2cm" svg:width="8cm" svg:height="4cm"/>'
         '</draw:page></office:presentation></office:body></office:document-content>')
SLIDE_STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {PRESENTATION_NS} office:version="1.2">'
                '<office:automatic-styles><style:page-layout style:name="PM1"><style:page-layout-properties '
                'fo:page-width="20cm" fo:page-height="10cm" fo:margin="0cm"/></style:page-layout></office:automatic-styles>'
                '<office:master-styles><style:master-page style:name="Default" style:page-layout-name="PM1"/>'
                '</office:master-styles></office:document-styles>')
KINDS = {
    # kind: (mimetype, parts, filter, password)
    "odt": ("application/vnd.oasis.opendocument.text", {"content.xml": CONTENT}, "writer8", "odt-secret"),
    "odp": ("application/vnd.oasis.opendocument.presentation", {"content.xml": SLIDE, "styles.xml": SLIDE_STYLES}, "impress8", "odp-secret"),
}
MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>{entries}</manifest:manifest>')


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    kind = sys.argv[1] if len(sys.argv) > 1 else "odt"
    mimetype, parts, filter_name, password = KINDS[kind]
    out = pathlib.Path(__file__).resolve().parent.parent / "tests" / "files" / f"encrypted.{kind}"
    with tempfile.TemporaryDirectory() as tmp:
        plain = pathlib.Path(tmp) / f"plain.{kind}"
        with zipfile.ZipFile(plain, "w") as z:
            z.writestr(zipfile.ZipInfo("mimetype"), mimetype)
            for name, data in parts.items():
                z.writestr(name, data, zipfile.ZIP_DEFLATED)
            entries = "".join(f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="text/xml"/>' for name in parts)
            z.writestr("META-INF/manifest.xml", MANIFEST.replace("{mimetype}", mimetype).replace("{entries}", entries), zipfile.ZIP_DEFLATED)
        office = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                                   "--invisible", "--accept=pipe,name=docsandbox-enc;urp;"])
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
            for _ in range(120):
                try:
                    ctx = resolver.resolve("uno:pipe,name=docsandbox-enc;urp;StarOffice.ComponentContext")
                    break
                except Exception:
                    time.sleep(0.5)
            desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(plain)), "_blank", 0, (prop("Hidden", True),))
            doc.storeToURL(uno.systemPathToFileUrl(str(out)), (prop("FilterName", filter_name), prop("Password", password)))
            doc.close(True)
            try:
                desktop.terminate()
            except Exception:
                pass  # the bridge closes as the office quits
        finally:
            office.wait(timeout=60)
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
