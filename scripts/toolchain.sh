# Sourced by scripts/docsandbox.sh and scripts/test.sh: makes sure the toolchain that
# rust-toolchain.toml pins is installed, with its wasm32-wasip1 target, before cargo runs.
#
# rustup installs a pinned toolchain by itself on first use only where auto-install is on;
# some machines turn it off (RUSTUP_AUTO_INSTALL=0, or `rustup set auto-install disable`),
# and then every cargo command fails with "toolchain ... is not installed". A toolchain
# installed beforehand may also lack the target, which rustup adds only when it installs the
# toolchain itself. Sets DOCSANDBOX_TOOLCHAIN to the pinned channel.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOCSANDBOX_TOOLCHAIN="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$root/rust-toolchain.toml")"
command -v rustup >/dev/null 2>&1 || { echo "docsandbox needs rustup: https://rustup.rs" >&2; exit 2; }
if ! rustup run "$DOCSANDBOX_TOOLCHAIN" rustc --version >/dev/null 2>&1; then
  echo "installing the Rust $DOCSANDBOX_TOOLCHAIN toolchain that rust-toolchain.toml pins" >&2
  (cd "$root" && rustup toolchain install)
fi
if ! rustup target list --installed --toolchain "$DOCSANDBOX_TOOLCHAIN" | grep -qx wasm32-wasip1; then
  rustup target add --toolchain "$DOCSANDBOX_TOOLCHAIN" wasm32-wasip1
fi
