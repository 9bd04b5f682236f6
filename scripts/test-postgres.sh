#!/usr/bin/env bash
# npm run test:postgres: the repository suites against a real PostgreSQL server.
#
# Creates a throw-away cluster in a temp folder (initdb), starts it on 127.0.0.1 on a
# free port, runs every test file that uses the PostgreSQL test stores with
# PREPBOT_TEST_DATABASE_URL pointing at it, then stops the server and deletes the
# folder, however the run ends. `npm test` runs the same suites on PGlite instead.
#
# Needs the server binaries (initdb, pg_ctl, postgres), not a running service:
#   Debian/Ubuntu: apt-get install postgresql    macOS: brew install postgresql
# PostgreSQL refuses to run as root; as root this script runs the server as the
# `postgres` user (created by the Debian package), else as `nobody`.
# Extra arguments go to vitest (e.g. --reporter=verbose).
set -euo pipefail
cd "$(dirname "$0")/.."

find_bin() {
  local dir
  # Debian keeps them off PATH, one folder per major version; take the newest.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return; fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then dirname "$(command -v initdb)"; fi
}

BIN="$(find_bin)"
if [ -z "$BIN" ]; then
  cat >&2 <<'EOF'
test:postgres needs the PostgreSQL server binaries (initdb, pg_ctl), and found none
in /usr/lib/postgresql/*/bin or on PATH. Install them, then run it again:
  Debian/Ubuntu:  sudo apt-get install postgresql
  macOS:          brew install postgresql
(`npm test` needs none of this: it runs the same suites on PGlite.)
EOF
  exit 1
fi

RUN_AS=""
if [ "$(id -u)" = 0 ]; then
  if id postgres >/dev/null 2>&1; then RUN_AS=postgres; else RUN_AS=nobody; fi
fi
as_server_user() {
  if [ -n "$RUN_AS" ]; then runuser -u "$RUN_AS" -- "$@"; else "$@"; fi
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/prepbot-pg.XXXXXX")"
DATA="$WORK/data"
STARTED=""
TESTS=""
cleanup() {
  local code=$?
  if [ -n "$TESTS" ]; then kill "$TESTS" 2>/dev/null || true; wait "$TESTS" 2>/dev/null || true; fi
  if [ -n "$STARTED" ]; then as_server_user "$BIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A password even on a loopback-only, throw-away server: other local users cannot walk in.
PASSWORD="$(node -e "process.stdout.write(require('node:crypto').randomBytes(18).toString('hex'))")"
printf '%s\n' "$PASSWORD" > "$WORK/pwfile"
if [ -n "$RUN_AS" ]; then chown -R "$RUN_AS" "$WORK"; fi

echo "test:postgres: initdb ($("$BIN/postgres" --version)) in $WORK${RUN_AS:+ as $RUN_AS}"
as_server_user "$BIN/initdb" -D "$DATA" -U prepbot --pwfile="$WORK/pwfile" --auth=scram-sha-256 \
  --encoding=UTF8 --locale=C >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; exit 1; }
rm -f "$WORK/pwfile"

free_port() {
  node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
}

# The port is free when chosen; if another process takes it before the server binds, try another.
for attempt in 1 2 3; do
  PORT="$(free_port)"
  # Durability is pointless for a cluster deleted in a minute; its sockets stay in the temp folder.
  if as_server_user "$BIN/pg_ctl" -D "$DATA" -l "$WORK/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $WORK -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null; then
    STARTED=1
    break
  fi
  echo "test:postgres: the server did not start on port $PORT (attempt $attempt):" >&2
  tail -n 5 "$WORK/server.log" >&2 || true
done
[ -n "$STARTED" ] || exit 1
echo "test:postgres: server on 127.0.0.1:$PORT"

# Every test file that runs on the PostgreSQL test stores (test/stores/).
mapfile -t SUITES < <(grep -rlE "stores/(bank|schedules|postgres)\.ts" test --include='*.test.ts' | sort)
# Two real bot processes on one database (test/e2e/multi-process/database.ts gives them the
# server); they skip their PostgreSQL rows, saying why, while the bot still refuses DATABASE_URL.
SUITES+=(test/e2e/multi-process/slack-socket.test.ts test/e2e/multi-process/slack-http.test.ts)
export PREPBOT_TEST_DATABASE_URL="postgres://prepbot:$PASSWORD@127.0.0.1:$PORT/postgres"
# The SQLite legs of the same suites run in `npm test`; here only the PostgreSQL ones.
# In the background so a signal to this script runs its trap now, not after the tests end.
npx vitest run "${SUITES[@]}" -t '[Pp]ostgre' "$@" &
TESTS=$!
wait "$TESTS"
