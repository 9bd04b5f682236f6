#!/usr/bin/env bash
# Installs the PostgreSQL server binaries from Debian's packages when they are missing,
# for `npm run test:postgres` (which starts its own throw-away cluster; the cluster the
# package may create is never used). Does nothing when initdb is already there.
set -euo pipefail

have_server() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null
}
if have_server; then exit 0; fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "install-postgres: the PostgreSQL server is not installed and this user cannot install it." >&2
    echo "  Run as root (or with sudo): apt-get install -y postgresql" >&2
    exit 1
  fi
fi

# A mirror can fail for a moment; three tries, then give up loudly.
for attempt in 1 2 3; do
  if $SUDO apt-get update -qq && \
     $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; then
    have_server && exit 0
  fi
  echo "install-postgres: apt-get failed (attempt $attempt of 3)" >&2
  sleep $((attempt * 10))
done
echo "install-postgres: could not install PostgreSQL from Debian's packages; check the apt sources and network." >&2
exit 1
