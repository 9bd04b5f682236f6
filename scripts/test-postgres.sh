#!/usr/bin/env bash
# npm run test:postgres: the repository suites against a real PostgreSQL server.
#
# Starts a throw-away server (scripts/pg-throwaway.sh: a temp cluster on 127.0.0.1, a free
# port), runs every test file that uses the PostgreSQL test stores with
# PREPBOT_TEST_DATABASE_URL pointing at it, then stops the server and deletes the folder,
# however the run ends. `npm test` runs the same suites on PGlite instead.
# Extra arguments go to vitest (e.g. --reporter=verbose).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg-throwaway.sh

pg_throwaway_start test:postgres

# Every test file that runs on the PostgreSQL test stores (test/stores/), every e2e test
# running bot processes on one shared database (test/e2e/shared-database.ts), and the
# CLI's migrate test (it connects with the `pg` driver, so it needs the server).
mapfile -t SUITES < <( (grep -rlE "stores/(kinds|bank|schedules|practice|postgres|care)\.ts|shared-database\.ts" test --include='*.test.ts'; echo test/unit/cli/migrate.test.ts) | sort -u)
export PREPBOT_TEST_DATABASE_URL="$PG_THROWAWAY_URL"
# The SQLite legs of the same suites run in `npm test`; here only the PostgreSQL ones.
# In the background so a signal to this script runs its trap now, not after the tests end.
npx vitest run "${SUITES[@]}" -t '[Pp]ostgre' "$@" &
PG_THROWAWAY_CHILD=$!
wait "$PG_THROWAWAY_CHILD"
