#!/usr/bin/env bash
# Builds the Python modules that Data-Juicer's text ops import and Debian 12 lacks, so that the
# DJ baseline (bench/run_catalog_bench.sh, bench/dj_baseline.sh) times DJ's real native code and
# not a pure-Python stand-in:
#   DJ_EXTRA/kenlm/        KenLM's own Python module (python/kenlm.cpp + lm/ util/, -O3)
#   DJ_EXTRA/ftfy-src/     ftfy 6.3.1 (pure Python; needs python3-wcwidth)
#   DJ_EXTRA/simhash-pkg/  simhash-pybind's API (unsigned_hash = MD5's first 8 bytes, compute and
#                          find_all from seomoz's simhash-cpp), Cython 0.29 over simhash-cpp
# Without simhash-pkg the bench falls back to bench/dj_shims/simhash.py, whose pure-Python
# compute() is ~50x slower than simhash-cpp's and would inflate DJ's time.
#
#   bench/setup_dj_extra.sh KENLM_GIT FTFY_GIT SIMHASH_PY_GIT SIMHASH_CPP_GIT [DJ_EXTRA]
# Each *_GIT is a git directory of that project (github.com/kpu/kenlm, rspeer/python-ftfy,
# seomoz/simhash-py, seomoz/simhash-cpp); DJ_EXTRA defaults to /work/dj-extra.
# Needs: g++, cython3, python3-dev, zlib1g-dev, python3-wcwidth. Nothing here enters the repo.
set -euo pipefail
[ $# -ge 4 ] || { sed -n 2,16p "$0"; exit 2; }
KENLM_GIT=$1 FTFY_GIT=$2 SHPY_GIT=$3 SHCPP_GIT=$4 DJ_EXTRA=${5:-/work/dj-extra}
PY=/usr/bin/python3
INC=$($PY -c "import sysconfig; print(sysconfig.get_paths()['include'])")
SUF=$($PY -c "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))")
mkdir -p "$DJ_EXTRA"
B=$(mktemp -d); trap 'rm -rf "$B"' EXIT

# ftfy 6.3.1 (what DJ 1.4.3 pins).
rm -rf "$DJ_EXTRA/ftfy-src"; mkdir -p "$DJ_EXTRA/ftfy-src"
git -C "$FTFY_GIT" archive v6.3.1 | tar -x -C "$DJ_EXTRA/ftfy-src"

# KenLM: the sources setup.py compiles, built by hand (no CMake / pip needed).
mkdir -p "$B/kenlm" "$B/kobj" "$DJ_EXTRA/kenlm"
git -C "$KENLM_GIT" archive HEAD | tar -x -C "$B/kenlm"
(cd "$B/kenlm"
 ls util/*.cc lm/*.cc util/double-conversion/*.cc python/*.cc python/kenlm.cpp | grep -v -e 'main.cc$' -e 'test.cc$' |
   xargs -P "$(nproc)" -I{} sh -c 'g++ -O3 -DNDEBUG -DKENLM_MAX_ORDER=6 -std=c++11 -DHAVE_CLOCKGETTIME -DHAVE_ZLIB \
     -fPIC -I. -I'"$INC"' -c {} -o '"$B"'/kobj/$(echo {} | tr / _).o')
g++ -shared "$B"/kobj/*.o -o "$DJ_EXTRA/kenlm/kenlm$SUF" -lz -lrt

# simhash: simhash-py's own .pyx does not build with Debian's Cython 0.29, so a minimal module with
# the same four functions wraps the simhash-cpp commit simhash-py pins.
mkdir -p "$B/sh/cpp" "$DJ_EXTRA/simhash-pkg"
SHCPP_REV=$(git -C "$SHPY_GIT" ls-tree HEAD simhash/simhash-cpp | awk '{print $3}')
git -C "$SHCPP_GIT" archive "$SHCPP_REV" | tar -x -C "$B/sh/cpp"
cat > "$B/sh/wrap.h" <<'EOF'
#include "simhash.h"
#include <utility>
#include <vector>
typedef Simhash::hash_t hash_t;
inline std::vector<std::pair<hash_t, hash_t>> find_all_vec(const std::vector<hash_t>& h, size_t blocks, size_t bits) {
  std::unordered_set<hash_t> s(h.begin(), h.end());
  Simhash::matches_t m = Simhash::find_all(s, blocks, bits);
  return std::vector<std::pair<hash_t, hash_t>>(m.begin(), m.end());
}
EOF
cat > "$B/sh/simhash.pyx" <<'EOF'
# distutils: language=c++
import hashlib
import struct
from libcpp.vector cimport vector
from libcpp.utility cimport pair
cdef extern from "wrap.h":
    ctypedef unsigned long long hash_t
    hash_t c_compute "Simhash::compute"(const vector[hash_t]& hashes)
    size_t c_ndb "Simhash::num_differing_bits"(hash_t a, hash_t b)
    vector[pair[hash_t, hash_t]] c_find_all "find_all_vec"(const vector[hash_t]& h, size_t blocks, size_t bits)
def unsigned_hash(bytes obj):
    return struct.unpack('>Q', hashlib.md5(obj).digest()[0:8])[0] & 0xFFFFFFFFFFFFFFFF
def num_differing_bits(hash_t a, hash_t b):
    return c_ndb(a, b)
def compute(hashes):
    cdef vector[hash_t] v = hashes
    return c_compute(v)
def find_all(hashes, number_of_blocks, different_bits):
    cdef vector[hash_t] v = hashes
    return c_find_all(v, number_of_blocks, different_bits)
EOF
(cd "$B/sh" && cython3 --cplus -3 simhash.pyx -o simhash_gen.cpp 2>/dev/null &&
 g++ -O3 -std=c++11 -fPIC -shared -I. -Icpp/include -I"$INC" simhash_gen.cpp cpp/src/simhash.cpp cpp/src/permutation.cpp \
   -o "$DJ_EXTRA/simhash-pkg/simhash$SUF")

PYTHONPATH="$DJ_EXTRA/kenlm:$DJ_EXTRA/ftfy-src:$DJ_EXTRA/simhash-pkg" $PY -c '
import kenlm, ftfy, simhash
assert simhash.compute([1, 3, 3]) == 3 and ftfy.fix_text("\u00e2\u0153\u201d") == "\u2714"
print("dj-extra ready:", kenlm.__file__, ftfy.__file__, simhash.__file__)'
