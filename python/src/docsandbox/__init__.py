"""Look at untrusted documents without opening them: docsandbox renders a document to page
images inside a WebAssembly sandbox, from Python through its C library (ctypes).

    import docsandbox

    with docsandbox.Sandbox(deadline=30) as sandbox:        # thread-safe; share it
        doc = sandbox.render("mail.eml", dpi=100, password="secret")
        for page in doc.pages:
            open(f"page-{page.number}.png", "wb").write(page.png())
        print(doc.report.findings)
        open("safe.pdf", "wb").write(doc.pdf())

        for page in sandbox.render_iter(big_pdf_bytes):     # pages as they are rendered
            show(page.to_pil())

The wheel carries the shared library; a source checkout finds it through $DOCSANDBOX_LIB
or the system's library path. Errors raise subclasses of DocsandboxError whose `status`
mirrors the `docsandbox` command's exit codes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime
import json
import os
import queue
import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Optional, Sequence, Tuple, Union, overload

__all__ = [
    "Sandbox", "Document", "Page", "PageStream", "Report", "Finding", "DocsandboxError", "UsageError",
    "UnsupportedFormat", "MalformedDocument", "LimitExceeded", "PasswordError", "InternalError",
    "FINDING_KINDS", "version",
]

#: A document: its bytes (any bytes-like object) or the path of a file holding it.
Source = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]"]


class DocsandboxError(Exception):
    """A failed render; `status` is the C ABI status code (the command's exit code)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class UsageError(DocsandboxError):
    """Bad arguments (status 2)."""


class UnsupportedFormat(DocsandboxError):
    """A format docsandbox does not render (status 3)."""


class MalformedDocument(DocsandboxError):
    """A damaged document (status 4)."""


class LimitExceeded(DocsandboxError):
    """A resource limit was hit before any page (status 5)."""


class PasswordError(DocsandboxError):
    """A password is needed, or the one given is wrong (status 6)."""


class InternalError(DocsandboxError):
    """The sandbox itself failed (status 70)."""


_ERRORS = {2: UsageError, 3: UnsupportedFormat, 4: MalformedDocument, 5: LimitExceeded, 6: PasswordError}


class _Limits(ctypes.Structure):
    _fields_ = [
        ("struct_size", ctypes.c_uint32),
        ("max_input_bytes", ctypes.c_uint64),
        ("fuel", ctypes.c_uint64),
        ("deadline_ms", ctypes.c_uint64),
        ("max_memory_bytes", ctypes.c_uint64),
        ("max_pages", ctypes.c_uint32),
        ("max_page_side", ctypes.c_uint32),
        ("max_page_pixels", ctypes.c_uint64),
        ("max_output_bytes", ctypes.c_uint64),
    ]


class _Options(ctypes.Structure):
    _fields_ = [
        ("struct_size", ctypes.c_uint32),
        ("dpi", ctypes.c_uint32),
        ("first_page", ctypes.c_uint32),
        ("last_page", ctypes.c_uint32),
        ("password", ctypes.c_char_p),
        ("file_name", ctypes.c_char_p),
        ("passwords_from_message", ctypes.c_uint8),
        ("print_time", ctypes.c_int64),
        ("sheet_gridlines", ctypes.c_uint8),
    ]


_PAGE_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p)
_LIBRARY_NAMES = {"win32": "docsandbox_ffi.dll", "darwin": "libdocsandbox_ffi.dylib"}


def _load() -> ctypes.CDLL:
    bundled = os.path.join(os.path.dirname(os.path.abspath(__file__)), _LIBRARY_NAMES.get(sys.platform, "libdocsandbox_ffi.so"))
    candidates = [os.environ.get("DOCSANDBOX_LIB"), bundled, ctypes.util.find_library("docsandbox_ffi")]
    for path in filter(None, candidates):
        if os.path.sep not in path or os.path.exists(path):
            lib = ctypes.CDLL(path)
            break
    else:
        raise ImportError("libdocsandbox_ffi not found: install the docsandbox wheel (`pip install ./python`), "
                          "or set DOCSANDBOX_LIB to a library built with `cargo build --release -p docsandbox-ffi`")
    p, u8p, size, u32p = ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint8), ctypes.c_size_t, ctypes.POINTER(ctypes.c_uint32)
    signatures = {
        "ds_version": ([], ctypes.c_char_p),
        "ds_finding_kind_count": ([], size),
        "ds_finding_kind_name": ([size], ctypes.c_char_p),
        "ds_finding_kind_is_warning": ([size], ctypes.c_bool),
        "ds_last_error_message": ([], ctypes.c_char_p),
        "ds_sandbox_new": ([ctypes.POINTER(_Limits)], p),
        "ds_sandbox_new_isolated": ([ctypes.POINTER(_Limits), ctypes.c_char_p], p),
        "ds_sandbox_free": ([p], None),
        "ds_render": ([p, ctypes.c_char_p, size, ctypes.POINTER(_Options), ctypes.POINTER(p)], ctypes.c_int32),
        "ds_render_streaming": ([p, ctypes.c_char_p, size, ctypes.POINTER(_Options), _PAGE_CALLBACK, p, ctypes.POINTER(p)], ctypes.c_int32),
        "ds_page_number": ([p], ctypes.c_uint32),
        "ds_page_rgba": ([p, ctypes.POINTER(u8p), ctypes.POINTER(size), u32p, u32p], ctypes.c_int32),
        "ds_page_png": ([p, ctypes.POINTER(u8p), ctypes.POINTER(size)], ctypes.c_int32),
        "ds_document_free": ([p], None),
        "ds_document_page_count": ([p], size),
        "ds_document_page_png": ([p, size, ctypes.POINTER(u8p), ctypes.POINTER(size)], ctypes.c_int32),
        "ds_document_page_rgba": ([p, size, ctypes.POINTER(u8p), ctypes.POINTER(size), u32p, u32p], ctypes.c_int32),
        "ds_document_report_json": ([p], ctypes.c_char_p),
        "ds_document_pdf": ([p, ctypes.POINTER(u8p), ctypes.POINTER(size)], ctypes.c_int32),
    }
    for name, (args, result) in signatures.items():
        function = getattr(lib, name)
        function.argtypes, function.restype = args, result
    return lib


_lib = _load()


def version() -> str:
    """The library's version."""
    return str(_lib.ds_version().decode())


__version__ = version()


def _finding_kinds() -> "dict[str, bool]":
    return {_lib.ds_finding_kind_name(i).decode(): bool(_lib.ds_finding_kind_is_warning(i)) for i in range(_lib.ds_finding_kind_count())}


FINDING_KINDS = _finding_kinds()
"""Every kind of finding a report can name (its `kind`), mapped to whether it is a warning
(its `warning`): the library's own list."""


def _last_error() -> str:
    return (_lib.ds_last_error_message() or b"").decode("utf-8", "replace")


def _error(status: int) -> DocsandboxError:
    return _ERRORS.get(status, InternalError)(status, _last_error())


def _copy_out(call: Any, *args: Any) -> bytes:
    """Calls a function that points its last two arguments (`data`, `len`) at bytes the
    library owns, and copies them out; a failure status raises its error."""
    data, length = ctypes.POINTER(ctypes.c_uint8)(), ctypes.c_size_t()
    status = call(*args, ctypes.byref(data), ctypes.byref(length))
    if status != 0:
        raise _error(status)
    return ctypes.string_at(data, length.value)


def _pixels(call: Any, *args: Any) -> Tuple[Any, int, int, int]:
    """Calls a `*_rgba` function: (pointer to the pixels, their length, width, height),
    the pixels still owned by the library; a failure status raises its error."""
    data, length = ctypes.POINTER(ctypes.c_uint8)(), ctypes.c_size_t()
    width, height = ctypes.c_uint32(), ctypes.c_uint32()
    status = call(*args, ctypes.byref(data), ctypes.byref(length), ctypes.byref(width), ctypes.byref(height))
    if status != 0:
        raise _error(status)
    return data, length.value, width.value, height.value


@dataclass(frozen=True)
class Finding:
    """One advisory finding: what it is about (`kind`, a name from FINDING_KINDS), its
    detail (a URI, a file name...), and whether it is a warning (active content, a
    disguise, a bomb)."""

    kind: str
    detail: str
    warning: bool


@dataclass(frozen=True)
class Report:
    """What the renderer found in the document. Advisory: it comes from the untrusted side
    of the sandbox (bounded and sanitised, but a compromised renderer could lie); the pages
    are what the sandbox guarantees."""

    format: Optional[str]
    page_count: Optional[int]
    findings: Tuple[Finding, ...]

    @classmethod
    def from_json(cls, text: str) -> "Report":
        value = json.loads(text)
        findings = tuple(Finding(f["kind"], f["detail"], bool(f["warning"])) for f in value.get("findings", []))
        return cls(value.get("format"), value.get("page_count"), findings)

    @property
    def warnings(self) -> Tuple[Finding, ...]:
        """The findings that are warnings."""
        return tuple(f for f in self.findings if f.warning)

    def has(self, kind: str) -> bool:
        """Whether any finding is of this kind."""
        return any(f.kind == kind for f in self.findings)


class Page:
    """One rendered page: its 1-based `number`, its size in pixels, and its pixels as PNG,
    as RGBA bytes, or (with Pillow or NumPy installed) as an image or an array."""

    def __init__(self, number: int, width: int, height: int, rgba: Callable[[], bytes], png: Callable[[], bytes]) -> None:
        self.number, self.width, self.height = number, width, height
        self._rgba, self._png = rgba, png

    def png(self) -> bytes:
        """The page as PNG bytes (opaque RGB)."""
        return self._png()

    def rgba(self) -> bytes:
        """The pixels, row by row, 4 bytes (R, G, B, A) each."""
        return self._rgba()

    def to_pil(self) -> Any:
        """The page as a `PIL.Image.Image` in RGBA mode (needs Pillow)."""
        try:
            from PIL import Image
        except ImportError as e:
            raise ImportError("Page.to_pil() needs Pillow: pip install pillow") from e
        return Image.frombytes("RGBA", (self.width, self.height), self.rgba())

    def to_numpy(self) -> Any:
        """The page as a writable `numpy.ndarray` of shape (height, width, 4), dtype uint8
        (needs NumPy)."""
        try:
            import numpy
        except ImportError as e:
            raise ImportError("Page.to_numpy() needs NumPy: pip install numpy") from e
        return numpy.frombuffer(self.rgba(), dtype=numpy.uint8).reshape(self.height, self.width, 4).copy()

    def __repr__(self) -> str:
        return f"<docsandbox.Page {self.number}: {self.width}x{self.height}>"


class _Handle:
    """A native handle that is freed only once no call is using it. ctypes releases the GIL
    during a call, so another thread may close the object meanwhile: close() marks it
    closed (later calls raise ValueError) and waits for the calls in flight."""

    def __init__(self, value: int, free: Callable[[Any], None]) -> None:
        self._value: Optional[ctypes.c_void_p] = ctypes.c_void_p(value)
        self._free = free
        self._users = 0
        self._closed = False
        self._changed = threading.Condition()

    @contextlib.contextmanager
    def use(self) -> Iterator[ctypes.c_void_p]:
        with self._changed:
            if self._closed or self._value is None:
                raise ValueError("the docsandbox object is closed")
            self._users += 1
            value = self._value
        try:
            yield value
        finally:
            with self._changed:
                self._users -= 1
                self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            if self._closed:
                return
            self._closed = True
            while self._users:
                self._changed.wait()
            value, self._value = self._value, None
        self._free(value)


class _Pages(Sequence[Page]):
    """A document's pages, as a sequence."""

    def __init__(self, document: "Document") -> None:
        self._document = document

    def __len__(self) -> int:
        return self._document.page_count

    @overload
    def __getitem__(self, index: int) -> Page: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Page]: ...

    def __getitem__(self, index: Union[int, slice]) -> Union[Page, Sequence[Page]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"page index {index} out of range ({len(self)} pages)")
        document = self._document
        width, height = document._size(index)
        return Page(document._first_page + index, width, height, lambda: document.page_rgba(index)[0], lambda: document.page_png(index))


class Document:
    """The pages and report of one render. `partial` says why the pages stop short of what
    was asked (a limit, a crash midway, a missing password for part of it), if they do.
    A sequence of its pages: `len(doc)`, `doc[0]`, `for page in doc`."""

    def __init__(self, handle: int, partial: Optional[str], first_page: int = 1) -> None:
        self._handle = _Handle(handle, _lib.ds_document_free)
        self.partial = partial
        self._first_page = first_page
        with self._handle.use() as h:
            self.page_count: int = _lib.ds_document_page_count(h)
            self.report: Report = Report.from_json(_lib.ds_document_report_json(h).decode())

    @property
    def pages(self) -> Sequence[Page]:
        """The rendered pages."""
        return _Pages(self)

    def __len__(self) -> int:
        return self.page_count

    def __getitem__(self, index: int) -> Page:
        return self.pages[index]

    def __iter__(self) -> Iterator[Page]:
        return iter(self.pages)

    def _bytes(self, call: Any, *args: Any) -> bytes:
        with self._handle.use() as h:
            return _copy_out(call, h, *args)

    def page_png(self, index: int) -> bytes:
        """Page `index` (0-based) as PNG bytes."""
        return self._bytes(_lib.ds_document_page_png, index)

    def page_rgba(self, index: int) -> Tuple[bytes, int, int]:
        """Page `index` (0-based) as (RGBA bytes, width, height)."""
        with self._handle.use() as h:
            data, length, width, height = _pixels(_lib.ds_document_page_rgba, h, index)
            return ctypes.string_at(data, length), width, height

    def _size(self, index: int) -> Tuple[int, int]:
        """Page `index`'s width and height, without copying its pixels."""
        with self._handle.use() as h:
            _, _, width, height = _pixels(_lib.ds_document_page_rgba, h, index)
        return width, height

    def pdf(self) -> bytes:
        """The pages as a safe PDF: page images only, nothing of the original."""
        return self._bytes(_lib.ds_document_pdf)

    def close(self) -> None:
        """Frees the document now (otherwise when it is garbage-collected). Waits for calls
        in flight on other threads; later calls raise ValueError."""
        handle = getattr(self, "_handle", None)
        if handle is not None:
            handle.close()

    __del__ = close

    def __enter__(self) -> "Document":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<docsandbox.Document {self.report.format}: {self.page_count} pages>"


_END = object()


class _Stream:
    """What a streaming render shares between its thread and its PageStream. The thread
    holds only this, so a PageStream dropped unfinished is collected, which stops the
    render."""

    def __init__(self, buffered: int) -> None:
        self.queue: "queue.Queue[Any]" = queue.Queue(maxsize=max(1, buffered))
        self.stop = threading.Event()
        self.report: Optional[Report] = None
        self.partial: Optional[str] = None
        self.error: Optional[DocsandboxError] = None

    def put(self, item: Any) -> bool:
        while not self.stop.is_set():
            try:
                self.queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run(self, handle: "_Handle", data: bytes, options: _Options) -> None:
        def on_page(_user: Any, page: int) -> int:
            try:
                if self.stop.is_set():
                    return 1
                pixels, length, width, height = _pixels(_lib.ds_page_rgba, page)
                rgba = ctypes.string_at(pixels, length)
                png = _copy_out(_lib.ds_page_png, page)
                item = Page(_lib.ds_page_number(page), width, height, lambda: rgba, lambda: png)
                return 0 if self.put(item) else 1
            except BaseException:  # a failed call included: never unwind into the library
                return 1

        callback = _PAGE_CALLBACK(on_page)
        out = ctypes.c_void_p()
        try:
            with handle.use() as h:
                status = _lib.ds_render_streaming(h, data, len(data), ctypes.byref(options), callback, None, ctypes.byref(out))
                message = _last_error()
            if status in (0, 1):
                document = Document(out.value, message if status == 1 else None)  # type: ignore[arg-type]
                self.report, self.partial = document.report, document.partial
                document.close()
            else:
                self.error = _ERRORS.get(status, InternalError)(status, message)
        except ValueError as e:
            self.error = UsageError(2, str(e))
        self.put(_END)


class PageStream(Iterator[Page]):
    """The pages of one render as they come (see `Sandbox.render_iter`). Once it is
    exhausted, `report` and `partial` say what the whole render found; a render that fails
    before any page raises its error from the first `next()`. Closing it (or leaving a
    `with` block, or dropping it) stops the render."""

    def __init__(self, handle: "_Handle", data: bytes, options: _Options, buffered: int = 2) -> None:
        self._stream = _Stream(buffered)
        self._finished = False
        self._thread = threading.Thread(target=self._stream.run, args=(handle, data, options), name="docsandbox-stream", daemon=True)
        self._thread.start()

    @property
    def report(self) -> Optional[Report]:
        """The report, once the stream is exhausted."""
        return self._stream.report

    @property
    def partial(self) -> Optional[str]:
        """Why the pages stop short, if they do, once the stream is exhausted."""
        return self._stream.partial

    def __iter__(self) -> "PageStream":
        return self

    def __next__(self) -> Page:
        if self._finished:
            raise StopIteration
        item = self._stream.queue.get()
        if item is _END:
            self._finished = True
            self._thread.join()
            if self._stream.error is not None:
                raise self._stream.error
            raise StopIteration
        page: Page = item
        return page

    def close(self) -> None:
        """Stops the render (if it is still running) and waits for it to end."""
        self._stream.stop.set()
        self._thread.join()
        self._finished = True

    def __enter__(self) -> "PageStream":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        stream = getattr(self, "_stream", None)
        if stream is not None:
            stream.stop.set()


def _read(data: Source, file_name: Optional[str]) -> Tuple[bytes, Optional[str]]:
    """The document's bytes, and its file name (given, or the path's)."""
    if isinstance(data, (str, os.PathLike)):
        path = os.fspath(data)
        with open(path, "rb") as f:
            return f.read(), file_name if file_name is not None else os.path.basename(path)
    if isinstance(data, bytes):
        return data, file_name
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data), file_name
    raise TypeError(f"a document is bytes, a bytes-like object or a path, not {type(data).__name__}")


def _seconds(value: Union[None, int, float, datetime.timedelta]) -> int:
    """Milliseconds of a deadline given in seconds or as a timedelta (0: the default)."""
    if value is None:
        return 0
    seconds = value.total_seconds() if isinstance(value, datetime.timedelta) else float(value)
    if seconds <= 0:
        raise ValueError("deadline must be positive")
    return max(1, round(seconds * 1000))


class Sandbox:
    """A sandbox with its limits; unset ones take the library's defaults. Thread-safe:
    share one between threads. Use it in a `with` block, or `close()` it.

    `isolation="process"` renders each document in a fresh, confined worker process (Linux),
    a second layer around the WebAssembly sandbox; `worker` is the path of the
    `docsandbox-worker` program (default: `$DOCSANDBOX_WORKER`, or beside the running
    program). It raises InternalError where that layer cannot be set up, never falling back."""

    def __init__(
        self,
        *,
        max_input_bytes: Optional[int] = None,
        fuel: Optional[int] = None,
        deadline: Union[None, int, float, datetime.timedelta] = None,
        max_memory_bytes: Optional[int] = None,
        max_pages: Optional[int] = None,
        max_page_side: Optional[int] = None,
        max_page_pixels: Optional[int] = None,
        max_output_bytes: Optional[int] = None,
        isolation: str = "in-process",
        worker: Union[None, str, "os.PathLike[str]"] = None,
    ) -> None:
        self._handle: Optional[_Handle] = None
        limits = _Limits(
            ctypes.sizeof(_Limits), max_input_bytes or 0, fuel or 0, _seconds(deadline), max_memory_bytes or 0, max_pages or 0,
            max_page_side or 0, max_page_pixels or 0, max_output_bytes or 0,
        )
        if isolation == "in-process":
            if worker is not None:
                raise TypeError("worker= applies to isolation='process'")
            handle = _lib.ds_sandbox_new(ctypes.byref(limits))
        elif isolation == "process":
            handle = _lib.ds_sandbox_new_isolated(ctypes.byref(limits), os.fsencode(worker) if worker is not None else None)
        else:
            raise ValueError(f"isolation is 'in-process' or 'process', not {isolation!r}")
        if not handle:
            raise InternalError(70, _last_error())
        self._handle = _Handle(handle, _lib.ds_sandbox_free)

    def _options(self, dpi: int, password: Optional[str], pages: Optional[Tuple[int, int]], file_name: Optional[str],
                 passwords_from_message: bool, sheet_gridlines: bool, print_time: Optional[int]) -> Tuple[_Options, int]:
        first, last = pages or (0, 0)
        def encode(text: Optional[str]) -> Optional[bytes]:
            return text.encode() if text is not None else None

        options = _Options(ctypes.sizeof(_Options), dpi, first, last, encode(password), encode(file_name), int(passwords_from_message),
                           print_time or 0, int(sheet_gridlines))
        return options, max(1, first)

    def render(self, data: Source, *, dpi: int = 150, password: Optional[str] = None, pages: Optional[Tuple[int, int]] = None,
               file_name: Optional[str] = None, passwords_from_message: bool = False, sheet_gridlines: bool = False,
               print_time: Optional[int] = None) -> Document:
        """Renders a document (bytes-like, or a path) and keeps its pages. `pages` is a
        (first, last) pair, 1-based and inclusive; `file_name` (taken from a path) only
        serves the report's check that the extension fits the content. `sheet_gridlines`
        draws spreadsheets as on screen rather than by their page setup; `print_time`
        (seconds since 1970 in the reader's time zone) is the date a sheet header prints
        (default: now, in UTC)."""
        data, file_name = _read(data, file_name)
        options, first = self._options(dpi, password, pages, file_name, passwords_from_message, sheet_gridlines, print_time)
        out = ctypes.c_void_p()
        with self._use() as h:
            status = _lib.ds_render(h, data, len(data), ctypes.byref(options), ctypes.byref(out))
            if status not in (0, 1):
                raise _error(status)
            partial = _last_error() if status == 1 else None
        return Document(out.value, partial, first)  # type: ignore[arg-type]

    def render_iter(self, data: Source, *, dpi: int = 150, password: Optional[str] = None, pages: Optional[Tuple[int, int]] = None,
                    file_name: Optional[str] = None, passwords_from_message: bool = False, sheet_gridlines: bool = False,
                    print_time: Optional[int] = None) -> PageStream:
        """Renders like `render`, yielding each page as soon as it is rendered and keeping
        none (memory stays at a page or two, however long the document). The returned
        stream has the `report` and `partial` of the render once it is exhausted."""
        data, file_name = _read(data, file_name)
        options, _ = self._options(dpi, password, pages, file_name, passwords_from_message, sheet_gridlines, print_time)
        if self._handle is None:
            raise ValueError("the docsandbox object is closed")
        return PageStream(self._handle, data, options)

    @contextlib.contextmanager
    def _use(self) -> Iterator[ctypes.c_void_p]:
        if self._handle is None:
            raise ValueError("the docsandbox object is closed")
        with self._handle.use() as h:
            yield h

    def close(self) -> None:
        """Frees the sandbox now (otherwise when it is garbage-collected). Waits for renders
        in flight on other threads; later renders raise ValueError."""
        if getattr(self, "_handle", None) is not None:
            self._handle.close()  # type: ignore[union-attr]

    __del__ = close

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
