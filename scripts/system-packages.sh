#!/usr/bin/env bash
# The Debian packages the tests need: browsers (Chromium, Firefox ESR, WebKitGTK
# with its WebDriver and an X server for it), ffmpeg, coturn, the test footage
# (opencv-doc), and PostgreSQL, Redis and haproxy for the tests of several
# servers (the tests start their own; none needs to run as a service).
# Installs what is missing when run as root with apt-get; otherwise prints the
# exact command and fails.
set -euo pipefail

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian system: make sure Chromium, Firefox ESR, ffmpeg, coturn, PostgreSQL, Redis and haproxy are installed (CHROMIUM_PATH, FIREFOX_PATH, PG_BIN, REDIS_SERVER_PATH and PEERWATCH_FOOTAGE point the tests at them)." >&2
  exit 0
fi

packages=(chromium firefox-esr ffmpeg coturn opencv-doc webkit2gtk-driver xvfb postgresql redis-server haproxy)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing the system packages the tests need: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}"
  exit 0
fi

echo "The tests need these Debian packages, which are missing: ${missing[*]}" >&2
echo "Install them with:" >&2
echo "  sudo apt-get install -y ${missing[*]}" >&2
exit 1
