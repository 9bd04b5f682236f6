#!/usr/bin/env bash
# scripts/with-postgres.sh COMMAND [ARGS…]: runs COMMAND with DATABASE_URL pointing at a fresh,
# empty, throw-away PostgreSQL server (scripts/pg-throwaway.sh), then stops the server and
# deletes its files, however COMMAND ends. Its exit code is COMMAND's.
#
#   scripts/with-postgres.sh npm start                  # the bot on PostgreSQL (console adapter)
#   scripts/with-postgres.sh npx prepbot migrate --from sqlite:data/prepbot.db --to '$DATABASE_URL'
#   scripts/with-postgres.sh bash                       # a shell with a server to try things on
#
# Needs the server binaries (apt-get install postgresql / brew install postgresql), no service.
set -euo pipefail
if [ $# -eq 0 ]; then
  echo "usage: scripts/with-postgres.sh COMMAND [ARGS…]  (runs COMMAND with DATABASE_URL set to a throw-away server)" >&2
  exit 2
fi
source "$(dirname "$0")/pg-throwaway.sh"

pg_throwaway_start with-postgres
export DATABASE_URL="$PG_THROWAWAY_URL"
# Arguments written as '$DATABASE_URL' (quoted, so the calling shell leaves them) get the URL here.
args=()
for a in "$@"; do args+=("${a//\$DATABASE_URL/$DATABASE_URL}"); done
# In the background so a signal to this script runs its trap (server stopped) now; stdin
# passed on explicitly (a background job would get /dev/null), so `npm start`'s console works.
"${args[@]}" <&0 &
PG_THROWAWAY_CHILD=$!
set +e
wait "$PG_THROWAWAY_CHILD"
code=$?
PG_THROWAWAY_CHILD=""
exit "$code"
