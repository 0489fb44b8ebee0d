#!/usr/bin/env bash
# The browser tests' Chromium (Debian's package, driven by playwright-core) and the CJK fonts the
# console's Chinese is drawn with. Playwright's own browser download is not used: it cannot be
# fetched on a closed network. Skipped when both are there; .ci/run calls it before npm test.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser: run as root (or: sudo apt-get install -y --no-install-recommends chromium fonts-noto-cjk)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
echo "install-browser: $(chromium --version 2>/dev/null || echo chromium installed)"
