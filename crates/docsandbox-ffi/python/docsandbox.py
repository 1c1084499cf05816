"""Python bindings for docsandbox over its C ABI (ctypes, no build step).

    import docsandbox
    sandbox = docsandbox.Sandbox()                      # thread-safe; share it
    doc = sandbox.render(open("mail.eml", "rb").read(), dpi=100, password="secret")
    for i in range(doc.page_count):
        open(f"page-{i + 1}.png", "wb").write(doc.page_png(i))
    print(doc.report["findings"])
    open("safe.pdf", "wb").write(doc.pdf())

The shared library is found through $DOCSANDBOX_LIB, next to this file, or on the
system's library path (libdocsandbox_ffi.so, built by `cargo build --release -p
docsandbox-ffi`). Errors raise subclasses of DocsandboxError whose `status` mirrors the
`docsandbox` command's exit codes.
"""

import contextlib
import ctypes
import ctypes.util
import json
import os
import threading

__all__ = [
    "Sandbox", "Document", "DocsandboxError", "UsageError", "UnsupportedFormat",
    "MalformedDocument", "LimitExceeded", "PasswordError", "InternalError", "version",
]


class DocsandboxError(Exception):
    """A failed render; `status` is the C ABI status code."""

    def __init__(self, status, message):
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
        ("dpi", ctypes.c_uint32),
        ("first_page", ctypes.c_uint32),
        ("last_page", ctypes.c_uint32),
        ("password", ctypes.c_char_p),
        ("file_name", ctypes.c_char_p),
        ("passwords_from_message", ctypes.c_uint8),
    ]


def _load():
    candidates = [os.environ.get("DOCSANDBOX_LIB"), os.path.join(os.path.dirname(os.path.abspath(__file__)), "libdocsandbox_ffi.so"),
                  ctypes.util.find_library("docsandbox_ffi")]
    for path in filter(None, candidates):
        if os.path.sep not in path or os.path.exists(path):
            lib = ctypes.CDLL(path)
            break
    else:
        raise ImportError("libdocsandbox_ffi not found: set DOCSANDBOX_LIB or build it with `cargo build --release -p docsandbox-ffi`")
    p, u8p, size = ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint8), ctypes.c_size_t
    signatures = {
        "ds_version": ([], ctypes.c_char_p),
        "ds_finding_kind_count": ([], size),
        "ds_finding_kind_name": ([size], ctypes.c_char_p),
        "ds_finding_kind_is_warning": ([size], ctypes.c_bool),
        "ds_last_error_message": ([], ctypes.c_char_p),
        "ds_sandbox_new": ([ctypes.POINTER(_Limits)], p),
        "ds_sandbox_free": ([p], None),
        "ds_render": ([p, ctypes.c_char_p, size, ctypes.POINTER(_Options), ctypes.POINTER(p)], ctypes.c_int32),
        "ds_document_free": ([p], None),
        "ds_document_page_count": ([p], size),
        "ds_document_page_png": ([p, size, ctypes.POINTER(u8p), ctypes.POINTER(size)], ctypes.c_int32),
        "ds_document_page_rgba": ([p, size, ctypes.POINTER(u8p), ctypes.POINTER(size), ctypes.POINTER(ctypes.c_uint32), ctypes.POINTER(ctypes.c_uint32)], ctypes.c_int32),
        "ds_document_report_json": ([p], ctypes.c_char_p),
        "ds_document_pdf": ([p, ctypes.POINTER(u8p), ctypes.POINTER(size)], ctypes.c_int32),
    }
    for name, (args, result) in signatures.items():
        function = getattr(lib, name)
        function.argtypes, function.restype = args, result
    return lib


_lib = _load()


def version():
    """The library version."""
    return _lib.ds_version().decode()


def _finding_kinds():
    return {_lib.ds_finding_kind_name(i).decode(): bool(_lib.ds_finding_kind_is_warning(i)) for i in range(_lib.ds_finding_kind_count())}


FINDING_KINDS = _finding_kinds()
"""Every kind of finding a report can name (its `kind`), mapped to whether it is a warning
(its `warning`): the library's own list."""


def _raise(status):
    message = (_lib.ds_last_error_message() or b"").decode("utf-8", "replace")
    raise _ERRORS.get(status, InternalError)(status, message)


class _Handle:
    """A native handle that is freed only once no call is using it. ctypes releases the GIL
    during a call, so another thread may close the object meanwhile: close() marks it
    closed (later calls raise ValueError) and waits for the calls in flight."""

    def __init__(self, value, free):
        self._value = ctypes.c_void_p(value)
        self._free = free
        self._users = 0
        self._closed = False
        self._changed = threading.Condition()

    @contextlib.contextmanager
    def use(self):
        with self._changed:
            if self._closed:
                raise ValueError("the docsandbox object is closed")
            self._users += 1
        try:
            yield self._value
        finally:
            with self._changed:
                self._users -= 1
                self._changed.notify_all()

    def close(self):
        with self._changed:
            if self._closed:
                return
            self._closed = True
            while self._users:
                self._changed.wait()
            value, self._value = self._value, None
        self._free(value)


class Document:
    """The pages and report of one render. `partial` says why pages stop short, if they do."""

    def __init__(self, handle, partial):
        self._handle = _Handle(handle, _lib.ds_document_free)
        self.partial = partial
        with self._handle.use() as h:
            self.page_count = _lib.ds_document_page_count(h)
            self.report = json.loads(_lib.ds_document_report_json(h).decode())

    def _bytes(self, call, *args):
        data, length = ctypes.POINTER(ctypes.c_uint8)(), ctypes.c_size_t()
        with self._handle.use() as h:
            status = call(h, *args, ctypes.byref(data), ctypes.byref(length))
            if status != 0:
                _raise(status)
            return ctypes.string_at(data, length.value)

    def page_png(self, index):
        """Page `index` (0-based) as PNG bytes."""
        return self._bytes(_lib.ds_document_page_png, index)

    def page_rgba(self, index):
        """Page `index` (0-based) as (RGBA bytes, width, height)."""
        data, length = ctypes.POINTER(ctypes.c_uint8)(), ctypes.c_size_t()
        width, height = ctypes.c_uint32(), ctypes.c_uint32()
        with self._handle.use() as h:
            status = _lib.ds_document_page_rgba(h, index, ctypes.byref(data), ctypes.byref(length), ctypes.byref(width), ctypes.byref(height))
            if status != 0:
                _raise(status)
            return ctypes.string_at(data, length.value), width.value, height.value

    def pdf(self):
        """The pages as a safe PDF: page images only, nothing of the original."""
        return self._bytes(_lib.ds_document_pdf)

    def close(self):
        """Frees the document now (otherwise when it is garbage-collected). Waits for calls
        in flight on other threads; later calls raise ValueError."""
        handle = getattr(self, "_handle", None)
        if handle is not None:
            handle.close()

    __del__ = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Sandbox:
    """A sandbox with its limits (keyword arguments named like the fields of ds_limits;
    unset ones take the defaults). Thread-safe."""

    def __init__(self, **limits):
        self._handle = None
        handle = _lib.ds_sandbox_new(ctypes.byref(_Limits(**limits)))
        if not handle:
            _raise(70)
        self._handle = _Handle(handle, _lib.ds_sandbox_free)

    def render(self, data, dpi=150, password=None, pages=None, file_name=None, passwords_from_message=False):
        """Renders `data` (bytes); `pages` is a (first, last) pair, 1-based and inclusive."""
        first, last = pages or (0, 0)
        options = _Options(dpi, first, last, password.encode() if password is not None else None,
                           file_name.encode() if file_name is not None else None, int(passwords_from_message))
        out = ctypes.c_void_p()
        with self._handle.use() as h:
            status = _lib.ds_render(h, data, len(data), ctypes.byref(options), ctypes.byref(out))
            if status not in (0, 1):
                _raise(status)
            partial = _lib.ds_last_error_message().decode("utf-8", "replace") if status == 1 else None
        return Document(out.value, partial)

    def close(self):
        """Frees the sandbox now (otherwise when it is garbage-collected). Waits for renders
        in flight on other threads; later renders raise ValueError."""
        if self._handle is not None:
            self._handle.close()

    __del__ = close
