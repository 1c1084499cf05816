"""Renders documents from Python through the package, as its users would.

Run by scripts/test.sh with pytest against the wheel installed in a fresh venv, and by
`cargo test` (crates/docsandbox-ffi/tests/python.rs) against the source with unittest.
"""

import datetime
import os
import sys
import threading
import time
import unittest

import docsandbox

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CORPUS = os.environ.get("DOCSANDBOX_CORPUS", os.path.join(ROOT, "..", "shared", "corpus"))
SAMPLE = os.path.join(ROOT, "samples", "welcome.pdf")
THREE_SLIDES = os.path.join(ROOT, "tests", "files", "shapes.ppt")


def read(*parts):
    with open(os.path.join(*parts), "rb") as f:
        return f.read()


class RenderTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sandbox = docsandbox.Sandbox(deadline=60)

    def test_sample_renders_to_png_rgba_report_and_pdf(self):
        doc = self.sandbox.render(read(ROOT, "samples", "welcome.pdf"), dpi=50)
        self.assertEqual(doc.page_count, 1)
        self.assertIsNone(doc.partial)
        self.assertTrue(doc.page_png(0).startswith(b"\x89PNG"))
        rgba, width, height = doc.page_rgba(0)
        self.assertEqual(len(rgba), width * height * 4)
        self.assertEqual(doc.report.format, "pdf")
        self.assertEqual(doc.report.findings, (docsandbox.Finding("uri", "https://example.org/", False),))
        self.assertTrue(doc.report.has("uri") and not doc.report.warnings)
        self.assertTrue(doc.pdf().startswith(b"%PDF-"))
        with self.assertRaises(docsandbox.UsageError):
            doc.page_png(1)
        doc.close()

    def test_sheets_print_by_their_setup_or_as_on_screen(self):
        data = read(ROOT, "tests", "files", "print-setup.xls")
        printed = self.sandbox.render(data, dpi=30, print_time=1796200000)
        again = self.sandbox.render(data, dpi=30, print_time=1796200000)
        screen = self.sandbox.render(data, dpi=30, print_time=1796200000, sheet_gridlines=True)
        self.assertEqual(printed.page_count, 4)
        width, height = printed.page_rgba(0)[1:]
        self.assertGreater(width, height)
        self.assertEqual(printed.page_rgba(0), again.page_rgba(0))
        self.assertNotEqual(printed.page_rgba(0), screen.page_rgba(0))

    def test_documents_are_sequences_of_pages(self):
        with self.sandbox.render(THREE_SLIDES, dpi=30) as doc:
            self.assertEqual(len(doc), 3)
            self.assertEqual([page.number for page in doc], [1, 2, 3])
            self.assertEqual([page.number for page in doc.pages[1:]], [2, 3])
            last = doc[-1]
            self.assertEqual(last.png(), doc.page_png(2))
            self.assertEqual(len(last.rgba()), last.width * last.height * 4)
            with self.assertRaises(IndexError):
                doc[3]
            self.assertEqual(doc.report.format, "ppt")
        # A page range numbers pages as the document does.
        doc = self.sandbox.render(THREE_SLIDES, dpi=30, pages=(2, 3))
        self.assertEqual([page.number for page in doc], [2, 3])

    def test_any_bytes_like_input_or_a_path(self):
        data = read(SAMPLE)
        expected = self.sandbox.render(data, dpi=30).page_png(0)
        for given in (bytearray(data), memoryview(data), SAMPLE, __import__("pathlib").Path(SAMPLE)):
            self.assertEqual(self.sandbox.render(given, dpi=30).page_png(0), expected, type(given).__name__)
        # A path gives the report its file name: a PDF named .docx is flagged.
        disguised = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"docsandbox-disguised-{os.getpid()}.docx")
        with open(disguised, "wb") as f:
            f.write(data)
        try:
            self.assertEqual(self.sandbox.render(disguised, dpi=20).report.findings[0].kind, "extension-mismatch")
        finally:
            os.remove(disguised)
        with self.assertRaises(TypeError):
            self.sandbox.render(12345)

    def test_unknown_or_wrong_arguments_are_refused(self):
        with self.assertRaises(TypeError):
            docsandbox.Sandbox(deadline_s=5)
        with self.assertRaises(TypeError):
            self.sandbox.render(read(SAMPLE), dpii=100)
        with self.assertRaises(ValueError):
            docsandbox.Sandbox(deadline=0)
        with self.assertRaises(ValueError):
            docsandbox.Sandbox(isolation="vm")
        with docsandbox.Sandbox(deadline=datetime.timedelta(seconds=20)) as sandbox:
            self.assertEqual(len(sandbox.render(SAMPLE, dpi=20)), 1)
        with self.assertRaises(ValueError):
            sandbox.render(SAMPLE)

    def test_pages_stream_as_they_come(self):
        kept = self.sandbox.render(THREE_SLIDES, dpi=30)
        stream = self.sandbox.render_iter(THREE_SLIDES, dpi=30)
        pages = list(stream)
        self.assertEqual([p.number for p in pages], [1, 2, 3])
        self.assertEqual([p.png() for p in pages], [p.png() for p in kept])
        self.assertEqual(stream.report, kept.report)
        self.assertIsNone(stream.partial)
        # Stopping early stops the render; an error comes from the first next().
        with self.sandbox.render_iter(THREE_SLIDES, dpi=30) as stream:
            self.assertEqual(next(stream).number, 1)
        with self.assertRaises(docsandbox.UnsupportedFormat):
            next(self.sandbox.render_iter(b"\x00\xff\x13\x37\x00\x00\xde\xad"))

    def test_pages_as_images_and_arrays(self):
        page = self.sandbox.render(SAMPLE, dpi=30)[0]
        try:
            import numpy
        except ImportError:
            numpy = None
        if numpy is not None:
            array = page.to_numpy()
            self.assertEqual(array.shape, (page.height, page.width, 4))
            self.assertEqual(array.dtype, numpy.uint8)
            self.assertEqual(array.tobytes(), page.rgba())
        try:
            import PIL  # noqa: F401
        except ImportError:
            PIL = None
        if PIL is not None:
            image = page.to_pil()
            self.assertEqual((image.mode, image.size), ("RGBA", (page.width, page.height)))
        if os.environ.get("DOCSANDBOX_REQUIRE_EXTRAS") and (numpy is None or PIL is None):
            self.fail("NumPy and Pillow are required here")

    @unittest.skipUnless(sys.platform.startswith("linux") and os.environ.get("DOCSANDBOX_WORKER"), "process isolation needs Linux and $DOCSANDBOX_WORKER")
    def test_process_isolation(self):
        with docsandbox.Sandbox(isolation="process", worker=os.environ["DOCSANDBOX_WORKER"]) as isolated:
            self.assertEqual(isolated.render(SAMPLE, dpi=30).page_png(0), self.sandbox.render(SAMPLE, dpi=30).page_png(0))
        with self.assertRaises(docsandbox.InternalError):
            docsandbox.Sandbox(isolation="process", worker="/nonexistent/docsandbox-worker").render(SAMPLE)

    def test_errors_share_one_base_class(self):
        for error in (docsandbox.UsageError, docsandbox.UnsupportedFormat, docsandbox.MalformedDocument, docsandbox.LimitExceeded,
                      docsandbox.PasswordError, docsandbox.InternalError):
            self.assertTrue(issubclass(error, docsandbox.DocsandboxError))
        self.assertEqual(docsandbox.__version__, docsandbox.version())

    def test_findings_name_kinds_the_library_lists(self):
        self.assertTrue(docsandbox.FINDING_KINDS["vba-macros"])
        self.assertFalse(docsandbox.FINDING_KINDS["uri"])
        path = os.path.join(CORPUS, "docx", "SimpleMacro.docm")
        if not os.path.exists(path):
            self.skipTest("the corpus is absent")
        findings = self.sandbox.render(read(path), dpi=20).report.findings
        self.assertIn(("vba-macros", True), [(f.kind, f.warning) for f in findings])
        for finding in findings:
            self.assertEqual(docsandbox.FINDING_KINDS[finding.kind], finding.warning)

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
        self.assertEqual(doc.report.format, "zip")
        xlsx = read(CORPUS, "xlsx", "60320-protected.xlsx")
        with self.assertRaises(docsandbox.PasswordError):
            self.sandbox.render(xlsx, password="wrong")
        doc = self.sandbox.render(xlsx, dpi=40, password="Test001!!", pages=(1, 2))
        self.assertEqual(doc.page_count, 2)
        self.assertTrue(doc.report.has("encrypted"))

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
