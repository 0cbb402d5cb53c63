#!/usr/bin/env bash
# Installs Debian's Chromium for the report's browser test when it is missing. Needs root (as in CI).
set -euo pipefail
for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
  [ -x "$candidate" ] && exit 0
done
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing: install it with 'sudo apt-get install chromium' (the browser test is skipped)." >&2
  exit 0
fi
echo "Installing Debian's chromium for the browser test..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium >/dev/null
