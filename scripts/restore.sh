#!/usr/bin/env bash
# Restore an archive of scripts/backup.sh into an EMPTY database and an empty media folder.
# `make restore ARCHIVE=backups/apopms-...tar.gz`
#
#   createdb apopms_restored   # the database must exist and hold no table
#   DATABASE_URL=postgres://.../apopms_restored MEDIA_ROOT=/data/media-restored scripts/restore.sh ARCHIVE
#
# The checksums are verified first; nothing is written into a database that has tables or a
# media folder that has files (restoring over live data would mix two states). The database is
# restored in one transaction: it is either whole or untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
archive=${1:-}
if [ -z "$archive" ] || [ ! -f "$archive" ]; then
  echo "Give the archive to restore: make restore ARCHIVE=backups/apopms-YYYYMMDDTHHMMSSZ.tar.gz (not found: '$archive')." >&2
  exit 1
fi
. scripts/backup_env.sh

tables=$(psql "$PG_URL" -v ON_ERROR_STOP=1 -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != 0 ]; then
  echo "Refused: database ${PG_URL##*/} is not empty ($tables tables). Restore into a new, empty database (createdb)." >&2
  exit 1
fi
if [ -d "$MEDIA_ROOT" ] && [ -n "$(find "$MEDIA_ROOT" -mindepth 1 -print -quit)" ]; then
  echo "Refused: the media folder $MEDIA_ROOT is not empty. Restore into a new, empty folder." >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$archive"
(cd "$work/apopms" && sha256sum --check --quiet --strict SHA256SUMS) || {
  echo "Refused: $archive is damaged (a checksum does not match)." >&2
  exit 1
}
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$PG_URL" "$work/apopms/database.dump"
mkdir -p "$MEDIA_ROOT"
cp -a "$work/apopms/media/." "$MEDIA_ROOT/"
files=$(($(wc -l <"$work/apopms/SHA256SUMS") - 1))
echo "Restored $archive: database ${PG_URL##*/}, $files media files in $MEDIA_ROOT."
