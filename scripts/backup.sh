#!/usr/bin/env bash
# One dated archive of what the portal cannot rebuild: the PostgreSQL database and the media files
# (certificates' PDFs, CVs, attendance reports). `make backup`; restored by scripts/restore.sh.
#
#   DATABASE_URL=postgres://... MEDIA_ROOT=/data/media scripts/backup.sh [DIR]
#
# Writes DIR/apopms-YYYYMMDDTHHMMSSZ.tar.gz (DIR: BACKUP_DIR, default ./backups) holding
#   database.dump    pg_dump's custom format: one snapshot, consistent while the portal runs
#   media/           the media folder, copied after the dump, so every file a row of the dump
#                    names is there (files are added while the portal runs, and a file is only
#                    removed once no row points to it)
#   SHA256SUMS       checksums of both, checked by the restore
# DATABASE_URL and MEDIA_ROOT come from the environment, else from .env, as the portal reads them.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/backup_env.sh

dir=${1:-${BACKUP_DIR:-backups}}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/apopms" "$work/apopms/media"

pg_dump --format=custom --no-owner --no-privileges --dbname="$PG_URL" --file="$work/apopms/database.dump"
if [ -d "$MEDIA_ROOT" ]; then
  cp -a "$MEDIA_ROOT/." "$work/apopms/media/"
fi
(
  cd "$work/apopms"
  {
    sha256sum database.dump
    find media -type f -print0 | sort -z | xargs -0 --no-run-if-empty sha256sum
  } >SHA256SUMS
)
files=$(($(wc -l <"$work/apopms/SHA256SUMS") - 1))
archive="$dir/apopms-$stamp.tar.gz"
tar -C "$work" -czf "$archive.partial" apopms
mv "$archive.partial" "$archive"
echo "Backed up database ${PG_URL##*/} and $files media files to $archive ($(du -h "$archive" | cut -f1))."
