# The production image: gunicorn for the web; the same image runs the migrations, the Celery
# workers and beat (docker-compose.yml). What goes in is filtered by .dockerignore.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's system libraries (Pango, HarfBuzz with its subset library for fast font subsetting),
# fontconfig and a fallback font; the certificates' own Noto fonts are vendored in static/pdf.
# PostgreSQL's client tools for scripts/backup.sh and restore.sh (the same major version as `db`).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 apopms
WORKDIR /app

# The dependencies in their own layer, from pyproject.toml alone: a change of the code reuses it.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY . .
RUN DEBUG=0 SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0123456789 \
    python manage.py collectstatic --noinput -v 0

# Uploads (CVs, reports) and certificates: the folder exists and belongs to the unprivileged user,
# so a fresh named volume mounted here starts with that owner too.
ENV MEDIA_ROOT=/data/media
RUN mkdir -p /data/media && chown -R apopms:apopms /data

USER apopms
EXPOSE 8000
# gunicorn.conf.py (read from /app) formats its log lines like the portal's.
CMD ["gunicorn", "apopms.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
