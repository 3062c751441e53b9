#!/usr/bin/env sh
# Runs before `npm test`: the browser suite drives Debian's chromium, installed here when missing and we may.
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser suite"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && exit 0
fi
echo "the browser suite needs Chromium at /usr/bin/chromium (Debian: apt-get install chromium) or CHROMIUM_PATH" >&2
exit 1
