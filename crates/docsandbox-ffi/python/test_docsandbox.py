"""Renders documents from Python through the ctypes bindings (run by cargo test, see
crates/docsandbox-ffi/tests/python.rs; needs DOCSANDBOX_LIB or the library on the path)."""

import os
import threading
import time
import unittest

import docsandbox

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
CORPUS = os.path.join(ROOT, "..", "shared", "corpus")


def read(*parts):
    with open(os.path.join(*parts), "rb") as f:
        return f.read()


class RenderTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sandbox = docsandbox.Sandbox(deadline_ms=60000)

    def test_sample_renders_to_png_rgba_report_and_pdf(self):
        doc = self.sandbox.render(read(ROOT, "samples", "welcome.pdf"), dpi=50)
        self.assertEqual(doc.page_count, 1)
        self.assertIsNone(doc.partial)
        self.assertTrue(doc.page_png(0).startswith(b"\x89PNG"))
        rgba, width, height = doc.page_rgba(0)
        self.assertEqual(len(rgba), width * height * 4)
        self.assertEqual(doc.report["format"], "pdf")
        self.assertTrue(doc.pdf().startswith(b"%PDF-"))
        with self.assertRaises(docsandbox.UsageError):
            doc.page_png(1)
        doc.close()

    def test_findings_name_kinds_the_library_lists(self):
        self.assertTrue(docsandbox.FINDING_KINDS["vba-macros"])
        self.assertFalse(docsandbox.FINDING_KINDS["uri"])
        path = os.path.join(CORPUS, "docx", "SimpleMacro.docm")
        if not os.path.exists(path):
            self.skipTest("the corpus is absent")
        findings = self.sandbox.render(read(path), dpi=20).report["findings"]
        self.assertIn(("vba-macros", True), [(f["kind"], f["warning"]) for f in findings])
        for finding in findings:
            self.assertEqual(docsandbox.FINDING_KINDS[finding["kind"]], finding["warning"])

    def test_errors_are_typed(self):
        with self.assertRaises(docsandbox.UnsupportedFormat) as caught:
            self.sandbox.render(b"\x00\xff\x13\x37\x00\x00\xde\xad")
        self.assertEqual(caught.exception.status, 3)
        with self.assertRaises(docsandbox.UsageError):
            self.sandbox.render(read(ROOT, "samples", "welcome.pdf"), dpi=0xFFFFFF)

    def test_limits_apply(self):
        small = docsandbox.Sandbox(max_input_bytes=100)
        with self.assertRaises(docsandbox.LimitExceeded):
            small.render(read(ROOT, "samples", "welcome.pdf"))

    @unittest.skipUnless(os.path.isdir(CORPUS), "the corpus (../shared/corpus) is absent")
    def test_password_protected_documents(self):
        data = read(CORPUS, "archive", "TestDataEncryptedAES.zip")
        # Without the password: the overview page, and the reason the rest is missing.
        doc = self.sandbox.render(data, dpi=40)
        self.assertEqual(doc.page_count, 1)
        self.assertIn("password", doc.partial)
        doc = self.sandbox.render(data, dpi=40, password="TestData")
        self.assertIsNone(doc.partial)
        self.assertGreater(doc.page_count, 1)
        self.assertEqual(doc.report["format"], "zip")
        xlsx = read(CORPUS, "xlsx", "60320-protected.xlsx")
        with self.assertRaises(docsandbox.PasswordError):
            self.sandbox.render(xlsx, password="wrong")
        doc = self.sandbox.render(xlsx, dpi=40, password="Test001!!", pages=(1, 2))
        self.assertEqual(doc.page_count, 2)
        self.assertIn("encrypted", [f["kind"] for f in doc.report["findings"]])

    def test_threads_share_one_sandbox(self):
        data = read(ROOT, "samples", "welcome.pdf")
        counts = []
        threads = [threading.Thread(target=lambda: counts.append(self.sandbox.render(data, dpi=30).page_count)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(counts, [1] * 4)

    def test_close_waits_for_renders_in_flight(self):
        # ctypes releases the GIL during ds_render: closing from another thread must not
        # free the sandbox under it.
        data = read(ROOT, "samples", "welcome.pdf")
        sandbox = docsandbox.Sandbox()
        results = []

        def render():
            try:
                results.append(sandbox.render(data, dpi=150).page_count)
            except ValueError:
                results.append("closed")

        threads = [threading.Thread(target=render) for _ in range(3)]
        for t in threads:
            t.start()
        time.sleep(0.01)
        sandbox.close()
        for t in threads:
            t.join()
        # Each render either finished on a live sandbox or was refused as closed; none crashed.
        self.assertEqual(len(results), 3)
        self.assertTrue(all(r in (1, "closed") for r in results), results)
        with self.assertRaises(ValueError):
            sandbox.render(data)
        sandbox.close()


if __name__ == "__main__":
    print("docsandbox", docsandbox.version())
    unittest.main()
