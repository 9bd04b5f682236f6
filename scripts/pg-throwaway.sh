#!/usr/bin/env bash
# A throw-away PostgreSQL server, for scripts to source (test-postgres.sh, with-postgres.sh):
#
#   source scripts/pg-throwaway.sh
#   pg_throwaway_start "label"     # sets PG_THROWAWAY_URL=postgres://prepbot:…@127.0.0.1:PORT/postgres
#   …                              # the server is stopped and its folder deleted when the script exits
#
# initdb's a cluster in a temp folder (password auth, UTF-8, C locale, fsync off), starts it on
# 127.0.0.1 on a free port, and installs an EXIT trap that stops it and deletes the folder however
# the script ends (Ctrl-C, kill, error). Set PG_THROWAWAY_CHILD to the pid of a background job to
# have the trap kill it first.
#
# Needs the server binaries (initdb, pg_ctl, postgres), not a running service:
#   Debian/Ubuntu: apt-get install postgresql    macOS: brew install postgresql
# PostgreSQL refuses to run as root; as root the server runs as the `postgres` user (created by
# the Debian package), else as `nobody`.

pg_throwaway_find_bin() {
  local dir
  # Debian keeps them off PATH, one folder per major version; take the newest.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return; fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then dirname "$(command -v initdb)"; fi
}

pg_throwaway_as_server_user() {
  if [ -n "$PG_THROWAWAY_RUN_AS" ]; then runuser -u "$PG_THROWAWAY_RUN_AS" -- "$@"; else "$@"; fi
}

pg_throwaway_cleanup() {
  local code=$?
  if [ -n "${PG_THROWAWAY_CHILD:-}" ]; then kill "$PG_THROWAWAY_CHILD" 2>/dev/null || true; wait "$PG_THROWAWAY_CHILD" 2>/dev/null || true; fi
  if [ -n "${PG_THROWAWAY_STARTED:-}" ]; then
    pg_throwaway_as_server_user "$PG_THROWAWAY_BIN/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ -n "${PG_THROWAWAY_DIR:-}" ]; then rm -rf "$PG_THROWAWAY_DIR"; fi
  exit "$code"
}

# pg_throwaway_start LABEL: LABEL prefixes its messages (e.g. "test:postgres").
pg_throwaway_start() {
  local label="$1"
  PG_THROWAWAY_BIN="$(pg_throwaway_find_bin)"
  if [ -z "$PG_THROWAWAY_BIN" ]; then
    cat >&2 <<MSG
$label needs the PostgreSQL server binaries (initdb, pg_ctl), and found none
in /usr/lib/postgresql/*/bin or on PATH. Install them, then run it again:
  Debian/Ubuntu:  sudo apt-get install postgresql
  macOS:          brew install postgresql
(\`npm test\` needs none of this: it runs the PostgreSQL suites on PGlite.)
MSG
    exit 1
  fi

  PG_THROWAWAY_RUN_AS=""
  if [ "$(id -u)" = 0 ]; then
    if id postgres >/dev/null 2>&1; then PG_THROWAWAY_RUN_AS=postgres; else PG_THROWAWAY_RUN_AS=nobody; fi
  fi

  PG_THROWAWAY_DIR="$(mktemp -d "${TMPDIR:-/tmp}/prepbot-pg.XXXXXX")"
  PG_THROWAWAY_STARTED=""
  trap pg_throwaway_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local work="$PG_THROWAWAY_DIR" data="$PG_THROWAWAY_DIR/data"

  # A password even on a loopback-only, throw-away server: other local users cannot walk in.
  local password
  password="$(node -e "process.stdout.write(require('node:crypto').randomBytes(18).toString('hex'))")"
  printf '%s\n' "$password" > "$work/pwfile"
  if [ -n "$PG_THROWAWAY_RUN_AS" ]; then chown -R "$PG_THROWAWAY_RUN_AS" "$work"; fi

  echo "$label: initdb ($("$PG_THROWAWAY_BIN/postgres" --version)) in $work${PG_THROWAWAY_RUN_AS:+ as $PG_THROWAWAY_RUN_AS}" >&2
  pg_throwaway_as_server_user "$PG_THROWAWAY_BIN/initdb" -D "$data" -U prepbot --pwfile="$work/pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
  rm -f "$work/pwfile"

  local attempt port
  # The port is free when chosen; if another process takes it before the server binds, try another.
  for attempt in 1 2 3; do
    port="$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})")"
    # Durability is pointless for a cluster deleted in a minute; its sockets stay in the temp folder.
    if pg_throwaway_as_server_user "$PG_THROWAWAY_BIN/pg_ctl" -D "$data" -l "$work/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $work -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null; then
      PG_THROWAWAY_STARTED=1
      break
    fi
    echo "$label: the server did not start on port $port (attempt $attempt):" >&2
    tail -n 5 "$work/server.log" >&2 || true
  done
  [ -n "$PG_THROWAWAY_STARTED" ] || exit 1
  echo "$label: server on 127.0.0.1:$port" >&2
  PG_THROWAWAY_URL="postgres://prepbot:$password@127.0.0.1:$port/postgres"
}
