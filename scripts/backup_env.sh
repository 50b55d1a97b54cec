# Sourced by backup.sh and restore.sh: DATABASE_URL and MEDIA_ROOT from the environment, else from .env
# (as the portal reads them); PG_URL is DATABASE_URL as libpq's tools take it.
env_value() { # env_value NAME: the value of NAME in .env, if any
  [ -f .env ] || return 0
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" .env | tail -1 | sed 's/^["'\'']//; s/["'\'']$//'
}
DATABASE_URL=${DATABASE_URL:-$(env_value DATABASE_URL)}
MEDIA_ROOT=${MEDIA_ROOT:-$(env_value MEDIA_ROOT)}
MEDIA_ROOT=${MEDIA_ROOT:-media}
case "$DATABASE_URL" in
  postgres://* | postgresql://*) PG_URL=$DATABASE_URL ;;
  pgsql://* | psql://*) PG_URL="postgresql://${DATABASE_URL#*://}" ;;
  *)
    echo "Backups need the PostgreSQL database: set DATABASE_URL=postgres://user:password@host:5432/name (now: '${DATABASE_URL:-unset, the embedded SQLite}')." >&2
    exit 1
    ;;
esac
