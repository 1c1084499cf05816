"""Builds the docsandbox wheel: the ctypes package plus the shared library it loads.

The library is built with cargo from the repository this directory sits in
(`cargo build --release --locked -p docsandbox-ffi`; the first build takes minutes), or
taken ready-made from $DOCSANDBOX_PREBUILT_LIB. The wheel is tagged for this platform but
not for a Python version: ctypes needs no CPython ABI.
"""

import os
import shutil
import subprocess
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70
    from wheel.bdist_wheel import bdist_wheel

HERE = os.path.dirname(os.path.abspath(__file__))
REPOSITORY = os.path.dirname(HERE)
LIBRARY = {"win32": "docsandbox_ffi.dll", "darwin": "libdocsandbox_ffi.dylib"}.get(sys.platform, "libdocsandbox_ffi.so")


def shared_library():
    prebuilt = os.environ.get("DOCSANDBOX_PREBUILT_LIB")
    if prebuilt:
        return prebuilt
    if not os.path.exists(os.path.join(REPOSITORY, "Cargo.toml")):
        sys.exit("docsandbox: build from the repository (pip install ./python), or set DOCSANDBOX_PREBUILT_LIB to a built library")
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPOSITORY, "target"))
    subprocess.run(["cargo", "build", "--release", "--locked", "-p", "docsandbox-ffi"], cwd=REPOSITORY, check=True)
    return os.path.join(target, "release", LIBRARY)


class BuildWithLibrary(build_py):
    """Copies the shared library into the package."""

    def run(self):
        super().run()
        destination = os.path.join(self.build_lib, "docsandbox", LIBRARY)
        shutil.copyfile(shared_library(), destination)
        os.chmod(destination, 0o755)
        # Debug information is most of an unstripped library's size.
        if shutil.which("strip") and sys.platform.startswith("linux"):
            subprocess.run(["strip", "--strip-unneeded", destination], check=True)


class PlatformWheel(bdist_wheel):
    """A wheel for this platform, any Python 3."""

    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self):
        _, _, platform = super().get_tag()
        return "py3", "none", platform


setup(cmdclass={"build_py": BuildWithLibrary, "bdist_wheel": PlatformWheel})
