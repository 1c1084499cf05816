#!/usr/bin/env bash
# Checks and lints every host crate (library, CLI, C ABI, protocol, guest builder) for
# macOS (aarch64-apple-darwin) and Windows (x86_64-pc-windows-msvc) from Linux, as
# scripts/test.sh runs it: code behind `cfg` for other systems must compile, warning-free.
#
# Checked, not built or run: these machines have neither SDK. Two things stand in the way
# of even a check, and are handled here:
# - Wasmtime's build script compiles a small C helper (stdbool.h, stdint.h, stdlib.h) for
#   Apple targets with Apple's compiler flags. A check never links it, so the wrapper below
#   drops the Apple-only flags and compiles it with the host's C compiler.
# - criterion (the root package's benchmarks) needs a C compiler for MSVC, so the root
#   package (tests and benchmarks, not shipped) is left out.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(aarch64-apple-darwin x86_64-pc-windows-msvc)
installed="$(rustup target list --installed)"
for target in "${targets[@]}"; do
  grep -qx "$target" <<<"$installed" || rustup target add "$target"
done

wrapper="$(mktemp -d)/cc-for-check"
trap 'rm -rf "$(dirname "$wrapper")"' EXIT
cat > "$wrapper" <<'SH'
#!/usr/bin/env bash
# For checks only: the host's C compiler, without the flags only Apple's compiler takes.
args=()
skip=0
for arg in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case "$arg" in
    -arch|-isysroot) skip=1 ;;
    -mmacosx-version-min=*|-mios-version-min=*|--target=*|-target) ;;
    *) args+=("$arg") ;;
  esac
done
exec cc "${args[@]}"
SH
chmod +x "$wrapper"

for target in "${targets[@]}"; do
  echo "cross check: $target"
  env "CC_${target//-/_}=$wrapper" "AR_${target//-/_}=ar" \
    cargo clippy --release --locked --workspace --exclude docsandbox-suite --all-targets --target "$target" -- -D warnings
done
