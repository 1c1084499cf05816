#!/usr/bin/env bash
# Builds the C library and installs it under PREFIX (default /usr/local):
#   PREFIX/lib/libdocsandbox_ffi.so.VERSION (stripped) with its soname link and the .so
#   link, PREFIX/lib/libdocsandbox_ffi.a, PREFIX/include/docsandbox.h,
#   PREFIX/lib/pkgconfig/docsandbox.pc
# Then: cc app.c $(pkg-config --cflags --libs docsandbox)
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-/usr/local}"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
cargo build --release --locked -p docsandbox-ffi
install -d "$prefix/lib/pkgconfig" "$prefix/include"
# The soname (crates/docsandbox-ffi/build.rs): the major version, or 0.MINOR before 1.0.
major="${version%%.*}"; rest="${version#*.}"; minor="${rest%%.*}"
if [ "$major" = 0 ]; then abi="0.$minor"; else abi="$major"; fi
install -m 0755 target/release/libdocsandbox_ffi.so "$prefix/lib/libdocsandbox_ffi.so.$version"
strip --strip-unneeded "$prefix/lib/libdocsandbox_ffi.so.$version" 2>/dev/null || true
ln -sf "libdocsandbox_ffi.so.$version" "$prefix/lib/libdocsandbox_ffi.so.$abi"
ln -sf "libdocsandbox_ffi.so.$abi" "$prefix/lib/libdocsandbox_ffi.so"
install -m 0644 target/release/libdocsandbox_ffi.a "$prefix/lib/"
install -m 0644 crates/docsandbox-ffi/include/docsandbox.h "$prefix/include/"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" crates/docsandbox-ffi/docsandbox.pc.in > "$prefix/lib/pkgconfig/docsandbox.pc"
echo "installed docsandbox $version under $prefix"
