#!/usr/bin/env bash
# The browser tests' Chromium (Debian's package, driven by playwright-core), the CJK fonts the
# console's Chinese and the credit reports' PDFs are drawn with, and poppler-utils (pdftoppm,
# pdffonts, pdftotext), with which the report tests look at a PDF. Playwright's own browser
# download is not used: it cannot be fetched on a closed network. Skipped when all of them are
# there; .ci/run and npm pretest call it.
set -euo pipefail
PACKAGES="chromium fonts-noto-cjk poppler-utils"
# The reports need Noto Sans CJK itself (REPORT_FONT_FILE's default, from fonts-noto-cjk): any other
# Chinese font on the machine (fc-list :lang=zh) would let the check pass and the query API refuse to boot.
NOTO_CJK="${REPORT_FONT_FILE:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}"
if command -v chromium >/dev/null 2>&1 && [ -f "$NOTO_CJK" ] \
  && command -v pdftoppm >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser: run as root (or: sudo apt-get install -y --no-install-recommends $PACKAGES)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # the package names are one word each
apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
echo "install-browser: $(chromium --version 2>/dev/null || echo chromium installed); $(pdftoppm -v 2>&1 | head -1)"
