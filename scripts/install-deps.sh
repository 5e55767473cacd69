#!/usr/bin/env bash
# Installs what Winnow needs to build and test, idempotently. Debian 12 packages only for now;
# npm-shipped libraries (pinned + sha256) will land in .cache/ when an issue needs them.
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build pkg-config
  libsimdjson-dev      # UTF-8 validation (SIMD)
  libpcre2-dev         # regular expressions with Unicode properties + JIT (DJ's patterns)
  libyaml-cpp-dev      # recipe loading with line/column marks
  zlib1g-dev libzstd-dev  # .gz / .zst input and output
  libxxhash-dev        # fast 64/128-bit hashing (dedup keys, n-gram counts)
  libgtest-dev libgmock-dev libbenchmark-dev
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
