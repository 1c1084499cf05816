"""What the recipes that write an OpenDocument text and have LibreOffice save it as Word
97-2003 share: the namespaces their XML declares, and the package and conversion
(save_as_doc). Imported by make-shaded-header-sample.py, make-page-border-sample.py and
make-anchor-line-sample.py; needs soffice (LibreOffice Writer)."""
import os
import shutil
import subprocess
import tempfile
import zipfile

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:xlink="http://www.w3.org/1999/xlink"')


def save_as_doc(name, content, styles, out, pictures=()):
    """Writes out/<name>.doc: an ODT holding `content` and `styles` (whole XML documents)
    and `pictures` ((path in the package, PNG bytes) pairs), saved as Word 97 by
    LibreOffice with a fresh profile."""
    entries = "".join(f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="image/png"/>' for path, _ in pictures)
    manifest = ('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                f'<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>{entries}</manifest:manifest>')
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, f"{name}.odt")
        with zipfile.ZipFile(source, "w") as z:
            z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
            z.writestr("META-INF/manifest.xml", manifest)
            z.writestr("content.xml", content)
            z.writestr("styles.xml", styles)
            for path, data in pictures:
                z.writestr(path, data)
        profile = "file://" + os.path.join(tmp, "profile")
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc:MS Word 97",
                        "--outdir", tmp, source], check=True, capture_output=True)
        shutil.copy(os.path.join(tmp, f"{name}.doc"), os.path.join(out, f"{name}.doc"))
    print("wrote", os.path.join(out, f"{name}.doc"))
