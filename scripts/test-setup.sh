#!/usr/bin/env bash
# Prepares what the test suite needs beyond Python packages: Debian's Chromium for the
# browser tests. In CI a missing browser is an error; elsewhere the browser tests skip.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "chromium is missing and cannot be installed: the browser tests cannot run" >&2
  exit 1
fi
echo "chromium is not installed: the browser tests will be skipped (apt-get install chromium)."
