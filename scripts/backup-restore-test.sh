#!/usr/bin/env bash
# Backup and restore drill (README "Backups"): dumps the engine's database with pg_dump, restores the
# dump into a scratch database on the same server, and runs the engine's own checks on the copy:
# every table came back with its rows, `db:status` (the schema is current) and `audit:verify` (the
# query log's hash chains are intact). The scratch database is dropped afterwards.
#
#   npm run db:restore-test -- [postgres://owner:…@host:5432/credit_engine]
#
# The URL (default DATABASE_MIGRATION_URL, else DATABASE_URL) is the owner's: pg_dump must read
# every table, and the role must be allowed to CREATE DATABASE. PostgreSQL's client tools
# (pg_dump, pg_restore, psql) must be on PATH, of the server's major version or newer.
#   BACKUP_DUMP_FILE=<path>  keep the dump there (default: a temporary file, removed)
#   KEEP_RESTORED=1          leave the scratch database for inspection
#   RESTORE_OPTIONS="…"      extra pg_restore options (e.g. --no-owner --no-acl on another server)
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "restore-test: $*" >&2; exit 2; }

source_url="${1:-${DATABASE_MIGRATION_URL:-${DATABASE_URL:-}}}"
[ -n "$source_url" ] || die "give the database URL (or set DATABASE_MIGRATION_URL / DATABASE_URL)"
for tool in pg_dump pg_restore psql node; do command -v "$tool" >/dev/null || die "$tool not found on PATH"; done

# The scratch database: the source's name with a suffix, on the same server, same credentials.
read -r scratch_name scratch_url < <(node -e '
  const url = new URL(process.argv[1]);
  const name = `${decodeURIComponent(url.pathname.slice(1)) || "postgres"}_restore_${process.pid}`.slice(0, 63);
  url.pathname = `/${encodeURIComponent(name)}`;
  console.log(name, url.toString());
' "$source_url")

work_dir="$(mktemp -d)"
dump_file="${BACKUP_DUMP_FILE:-$work_dir/credit_engine.dump}"
cleanup() {
  if [ "${KEEP_RESTORED:-}" != 1 ]; then psql "$source_url" -qAtc "DROP DATABASE IF EXISTS \"$scratch_name\"" >/dev/null 2>&1 || true; fi
  rm -rf "$work_dir"
}
trap cleanup EXIT

echo "1/4 pg_dump (one consistent snapshot) to $dump_file"
pg_dump --format=custom --file="$dump_file" "$source_url"

echo "2/4 restoring into scratch database $scratch_name"
psql "$source_url" -v ON_ERROR_STOP=1 -qAtc "CREATE DATABASE \"$scratch_name\"" >/dev/null
# shellcheck disable=SC2086 # RESTORE_OPTIONS is a list of options
pg_restore --exit-on-error ${RESTORE_OPTIONS:-} --dbname="$scratch_url" "$dump_file"

echo "3/4 every table has its rows back"
# Rows per table in the dump itself (its COPY blocks), not in the live source, which may have moved on since the snapshot.
pg_restore --data-only --file=- "$dump_file" | awk '
  /^COPY public\./ { split($2, name, "."); table = name[2]; rows[table] = 0; inside = 1; next }
  inside && $0 == "\\." { inside = 0; next }
  inside { rows[table]++ }
  END { for (t in rows) print t, rows[t] }' | sort > "$work_dir/dumped"
psql "$scratch_url" -v ON_ERROR_STOP=1 -qAt -F ' ' > "$work_dir/restored" <<'SQL'
SELECT format('SELECT %L, count(*) FROM %I.%I', tablename, schemaname, tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
\gexec
SQL
sort -o "$work_dir/restored" "$work_dir/restored"
if ! diff -u --label dumped --label restored "$work_dir/dumped" "$work_dir/restored"; then
  echo "restore-test: the restored tables or row counts differ from the dump's" >&2
  exit 1
fi
sed 's/^/    /' "$work_dir/restored"

echo "4/4 the engine's checks on the restored copy"
[ -f dist/apps/db-cli/src/main.js ] || npm run build --silent
status=0
DATABASE_URL="$scratch_url" DATABASE_MIGRATION_URL= node scripts/node-app.js dist/apps/db-cli/src/main.js status || status=1
DATABASE_URL="$scratch_url" DATABASE_MIGRATION_URL= node scripts/node-app.js dist/apps/db-cli/src/main.js audit-verify || status=1
if [ "$status" = 0 ]; then echo "restore test passed: $scratch_name restored from the dump, schema current, audit chain intact"; else echo "restore test FAILED" >&2; fi
exit "$status"
