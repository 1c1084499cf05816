#!/usr/bin/python3
"""Writes tests/files/encrypted.odt: a one-paragraph ODT (red 28 pt "Encrypted") that
LibreOffice saves with the password "odt-secret" (ODF 1.2 encryption: AES-256-CBC,
PBKDF2, SHA-256 start key), as an office would.

Needs LibreOffice and the system Python with its UNO bridge (python3-uno, installed with
LibreOffice on Debian): /usr/bin/python3 scripts/make-encrypted-odt.py
"""
import pathlib, subprocess, tempfile, time, zipfile

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
MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    out = pathlib.Path(__file__).resolve().parent.parent / "tests" / "files" / "encrypted.odt"
    with tempfile.TemporaryDirectory() as tmp:
        plain = pathlib.Path(tmp) / "plain.odt"
        with zipfile.ZipFile(plain, "w") as z:
            z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
            z.writestr("content.xml", CONTENT, zipfile.ZIP_DEFLATED)
            z.writestr("META-INF/manifest.xml", MANIFEST, zipfile.ZIP_DEFLATED)
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
            doc.storeToURL(uno.systemPathToFileUrl(str(out)), (prop("FilterName", "writer8"), prop("Password", "odt-secret")))
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
