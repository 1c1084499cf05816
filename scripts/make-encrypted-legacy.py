#!/usr/bin/python3
"""Writes the encrypted Word and PowerPoint 97-2003 test files from the plain test files,
each encrypted by another program than docsandbox:

  encrypted-rc4.doc        tests/files/layout.doc saved by LibreOffice with the password
                           "doc-secret": RC4 encryption (Office 97-2000, MD5 keys)
  encrypted-cryptoapi.doc  tests/files/layout.doc written by Apache POI (HWPF) with the
                           password "doc-secret": RC4 CryptoAPI (Office 2002-2003, SHA-1)
  encrypted.ppt            tests/files/shapes.ppt written by Apache POI (HSLF) with the
                           password "ppt-secret": RC4 CryptoAPI, pictures included
                           (LibreOffice does not encrypt .ppt)

Decrypted, each must give the same pages as its plain file. POI rewrites the files, leaving
out the preview pictures, so they stay small.

Needs LibreOffice with the system Python's UNO bridge (python3-uno), a JDK, and Debian's
libapache-poi-java (POI 4.0.1). Usage: /usr/bin/python3 scripts/make-encrypted-legacy.py
"""
import pathlib, subprocess, tempfile, time

import uno
from com.sun.star.beans import PropertyValue

FILES = pathlib.Path(__file__).resolve().parent.parent / "tests" / "files"
POI = ["poi", "poi-scratchpad", "commons-collections4", "commons-math3", "commons-codec"]
JAVA = """
import java.io.*;
import org.apache.poi.hssf.record.crypto.Biff8EncryptionKey;
import org.apache.poi.hwpf.HWPFDocument;
import org.apache.poi.hslf.usermodel.HSLFSlideShow;

public class Encrypt {
    public static void main(String[] a) throws Exception {
        Biff8EncryptionKey.setCurrentUserPassword(a[3]);
        if (a[0].equals("doc")) {
            new HWPFDocument(new FileInputStream(a[1])).write(new File(a[2]));
        } else {
            try (OutputStream out = new FileOutputStream(a[2])) {
                new HSLFSlideShow(new FileInputStream(a[1])).write(out);
            }
        }
    }
}
"""


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def libreoffice(tmp, source, target, filter_name, password):
    office = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                               "--invisible", "--accept=pipe,name=docsandbox-legacy;urp;"])
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                ctx = resolver.resolve("uno:pipe,name=docsandbox-legacy;urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(source)), "_blank", 0, (prop("Hidden", True),))
        doc.storeToURL(uno.systemPathToFileUrl(str(target)), (prop("FilterName", filter_name), prop("Password", password)))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        office.wait(timeout=60)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        libreoffice(tmp, FILES / "layout.doc", FILES / "encrypted-rc4.doc", "MS Word 97", "doc-secret")
        classpath = ":".join(f"/usr/share/java/{jar}.jar" for jar in POI)
        (pathlib.Path(tmp) / "Encrypt.java").write_text(JAVA)
        subprocess.run(["javac", "-cp", classpath, "-d", tmp, f"{tmp}/Encrypt.java"], check=True)
        run = ["java", "-cp", f"{classpath}:{tmp}", "Encrypt"]
        subprocess.run(run + ["doc", FILES / "layout.doc", FILES / "encrypted-cryptoapi.doc", "doc-secret"], check=True)
        subprocess.run(run + ["ppt", FILES / "shapes.ppt", FILES / "encrypted.ppt", "ppt-secret"], check=True)


if __name__ == "__main__":
    main()
