#!/usr/bin/env bash
# Data-Juicer (DJ) single-core baseline throughput on the Winnow benchmark corpus.
#
#   bench/dj_baseline.sh [--mb 5] [--runs 5] [--corpus FILE] [--out FILE.md] [OP ...]
#
# Takes the first --mb MB of the corpus (whole JSONL lines only; default bench/corpus/corpus.jsonl,
# built with bench/make_corpus.sh when missing), runs each DJ op --runs times with the dj-reference
# tool (DJ's own unmodified op code, one process, one core, Debian python3) and prints a markdown
# table of the median MB/s. MB/s is the tool's "mb_per_s": UTF-8 bytes of the text field / wall
# seconds of op compute only (JSON loading, imports and op construction are not timed; filters and
# mappers run 200 untimed warm-up docs first; deduplicators time compute_hash + process).
#
# Environment:
#   DJ_SRC   extracted Data-Juicer tree (default /work/djsrc)
#   DJ_TOOL  path to bench_dj.py (default: shared/tools/dj-reference/bench_dj.py next to or in the repo)
# Ops default to the 15 text ops below, each with DJ's default params (words_num_filter and
# word_repetition_filter with lang=en, tokenization=false).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
PY=/usr/bin/python3
MB=5
RUNS=5
CORPUS="$HERE/corpus/corpus.jsonl"
OUT=""
OPS=()
CMDLINE="bench/dj_baseline.sh $*"

while (($#)); do
  case "$1" in
    --mb) MB="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --corpus) CORPUS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) OPS+=("$1"); shift ;;
  esac
done

# op name -> JSON params (DJ defaults unless stated)
declare -A PARAMS=(
  [text_length_filter]='{}'
  [words_num_filter]='{"lang":"en","tokenization":false}'
  [alphanumeric_filter]='{}'
  [special_characters_filter]='{}'
  [average_line_length_filter]='{}'
  [maximum_line_length_filter]='{}'
  [character_repetition_filter]='{}'
  [word_repetition_filter]='{"lang":"en","tokenization":false}'
  [whitespace_normalization_mapper]='{}'
  [punctuation_normalization_mapper]='{}'
  [clean_email_mapper]='{}'
  [clean_links_mapper]='{}'
  [clean_ip_mapper]='{}'
  [remove_long_words_mapper]='{}'
  [document_deduplicator]='{}'
)
DEFAULT_OPS=(text_length_filter words_num_filter alphanumeric_filter special_characters_filter
  average_line_length_filter maximum_line_length_filter character_repetition_filter
  word_repetition_filter whitespace_normalization_mapper punctuation_normalization_mapper
  clean_email_mapper clean_links_mapper clean_ip_mapper remove_long_words_mapper document_deduplicator)
((${#OPS[@]})) || OPS=("${DEFAULT_OPS[@]}")

# ------------------------------------------------------------ prerequisites
export DJ_SRC="${DJ_SRC:-/work/djsrc}"
if [ ! -d "$DJ_SRC/data_juicer" ]; then
  echo "dj_baseline: DJ_SRC=$DJ_SRC is not an extracted Data-Juicer tree (see dj-reference/README.md)" >&2
  exit 1
fi
if [ -z "${DJ_TOOL:-}" ]; then
  for c in "$REPO/shared/tools/dj-reference/bench_dj.py" "$REPO/../shared/tools/dj-reference/bench_dj.py" \
           /work/shared/tools/dj-reference/bench_dj.py; do
    if [ -f "$c" ]; then DJ_TOOL="$c"; break; fi
  done
fi
if [ -z "${DJ_TOOL:-}" ] || [ ! -f "$DJ_TOOL" ]; then
  echo "dj_baseline: bench_dj.py not found; set DJ_TOOL" >&2
  exit 1
fi

# Debian packages the dj-reference README lists (installed only when missing).
DEB_PKGS=(python3-regex python3-loguru python3-numpy python3-pandas python3-xxhash python3-jieba
  python3-nltk python3-emoji python3-zstandard python3-tqdm python3-yaml python3-multiprocess python3-dill
  python3-fasttext python3-sentencepiece python3-scipy python3-pil python3-opencv python3-pydantic
  python3-psutil python3-tomli python3-tomli-w python3-bs4 python3-lz4 python3-fsspec python3-tldextract
  python3-typing-extensions python3-lxml python3-tabulate python3-av python3-httpx python3-aiohttp
  python3-requests)
missing=()
for p in "${DEB_PKGS[@]}"; do
  dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "dj_baseline: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -q -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2 || {
    $SUDO apt-get update -q -o DPkg::Lock::Timeout=600 >&2
    $SUDO apt-get install -y -q -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2; }
fi

if [ ! -s "$CORPUS" ]; then
  if [ "$CORPUS" = "$HERE/corpus/corpus.jsonl" ]; then
    "$HERE/make_corpus.sh" >&2
  else
    echo "dj_baseline: corpus $CORPUS not found" >&2; exit 1
  fi
fi

# ------------------------------------------------------------ sample: first MB MB, whole lines
WORK="$(mktemp -d "${TMPDIR:-/tmp}/dj_baseline.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
SAMPLE="$WORK/sample.jsonl"
LIMIT=$(awk -v mb="$MB" 'BEGIN{printf "%d", mb*1000000}')
LC_ALL=C awk -v lim="$LIMIT" '{n += length($0) + 1; if (n > lim) exit; print}' "$CORPUS" > "$SAMPLE"

LOAD0=$(cut -d' ' -f1 /proc/loadavg)
NPROC=$(nproc)   # before OMP_NUM_THREADS is set (nproc honours it)
# one core, no hidden thread pools
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMEXPR_NUM_THREADS=1
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"
for op in "${OPS[@]}"; do
  params="${PARAMS[$op]:-{\}}"
  for ((r = 1; r <= RUNS; r++)); do
    line=$("$PY" "$DJ_TOOL" "$op" --params "$params" --input "$SAMPLE" 2>"$WORK/err" | grep '^RESULT ' || true)
    if [ -z "$line" ]; then
      echo "dj_baseline: $op failed:" >&2; tail -5 "$WORK/err" >&2
      printf '{"op": "%s", "failed": true}\n' "$op" >> "$RESULTS"
      break
    fi
    echo "${line#RESULT }" >> "$RESULTS"
    echo "dj_baseline: $op run $r: $(echo "${line#RESULT }" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["mb_per_s"], "MB/s")')" >&2
  done
done

# ------------------------------------------------------------ markdown
render() {
  LOAD0="$LOAD0" NPROC="$NPROC" CMDLINE="$CMDLINE" CORPUS="$CORPUS" SAMPLE="$SAMPLE" DJ_TOOL="$DJ_TOOL" RUNS="$RUNS" MB="$MB" \
  "$PY" - "$RESULTS" <<'PYEOF'
import hashlib, json, os, statistics, subprocess, sys, datetime, platform
from collections import OrderedDict
rows = OrderedDict()
for line in open(sys.argv[1]):
    d = json.loads(line)
    rows.setdefault(d["op"], []).append(d)
cpu = "unknown"
for l in open("/proc/cpuinfo"):
    if l.startswith("model name"):
        cpu = l.split(":", 1)[1].strip(); break
mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
djv = "?"
for l in open(os.path.join(os.environ["DJ_SRC"], "data_juicer", "__init__.py")):
    if l.startswith("__version__"):
        djv = l.split("=", 1)[1].strip().strip("\"'"); break
sample = os.environ["SAMPLE"]
sha = hashlib.sha256(open(sample, "rb").read()).hexdigest()[:16]
ndocs = sum(1 for _ in open(sample, "rb"))
print("# Data-Juicer baseline throughput (single core)\n")
print(f"- date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}")
print(f"- machine: {os.cpu_count()} CPUs (nproc {os.environ['NPROC']}), "
      f"{cpu}, {mem_gb:.0f} GiB RAM, {platform.system()} {platform.release()}")
print(f"- Data-Juicer {djv} from `$DJ_SRC`={os.environ['DJ_SRC']}, Python {platform.python_version()} "
      f"(Debian /usr/bin/python3), tool `{os.path.realpath(os.environ['DJ_TOOL'])}`")
print(f"- input: first {os.environ['MB']} MB (whole lines) of `{os.path.relpath(os.environ['CORPUS'])}`: "
      f"{ndocs} docs, {os.path.getsize(sample)} bytes of JSONL, sha256 {sha}…")
print(f"- command: `{os.environ['CMDLINE'].strip()}` (niceness {os.nice(0)}; load average before: "
      f"{os.environ['LOAD0']}, at the end: {os.getloadavg()[0]:.2f})")
print(f"- method: each op run {os.environ['RUNS']}× in a fresh process; MB/s = UTF-8 MB of `text` / wall s of "
      "op compute only (the tool's `mb_per_s`; load, import and op init not timed; filters/mappers "
      "have 200 untimed warm-up docs; dedup = compute_hash + process); table shows the median run, "
      "range = min–max over runs. Other processes may have shared the machine (2 cores).\n")
print("| op | kind | params | docs | text MB | wall s | **MB/s** (median) | MB/s range | docs/s | kept / changed | peak RSS MB |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for op, rs in rows.items():
    if any(r.get("failed") for r in rs):
        print(f"| {op} | | | | | | FAILED | | | | |"); continue
    rs_sorted = sorted(rs, key=lambda r: r["mb_per_s"])
    med = rs_sorted[len(rs_sorted) // 2]
    p = {k: v for k, v in med["params"].items() if k != "skip_op_error"}
    ptxt = ", ".join(f"{k}={json.dumps(v)}" for k, v in p.items()) or "defaults"
    kc = med.get("kept", med.get("changed"))
    kc_txt = f"{kc} {'changed' if med['kind'] == 'mapper' else 'kept'}"
    print(f"| {op} | {med['kind']}{' (batched)' if med['batched'] else ''} | {ptxt} | {med['docs']} | {med['mb']:.2f} | "
          f"{med['wall_s']:.3f} | **{med['mb_per_s']:.2f}** | {rs_sorted[0]['mb_per_s']:.2f}–{rs_sorted[-1]['mb_per_s']:.2f} | "
          f"{med['docs_per_s']:.0f} | {kc_txt} | {med['peak_rss_mb']:.0f} |")
fast = [op for op, rs in rows.items() if not any(r.get("failed") for r in rs)
        and sorted(r["wall_s"] for r in rs)[len(rs) // 2] < 0.05]
if fast:
    print(f"\nNote: {', '.join(fast)} finish in under 50 ms on this sample, so their MB/s carry "
          "timer and cache noise of several percent; rerun with a larger `--mb` for tighter numbers.")
PYEOF
}
if [ -n "$OUT" ]; then
  render > "$OUT"
  cat "$OUT"
else
  render
fi
