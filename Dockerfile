# The production image: gunicorn for the web, the same image for Celery workers.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

# WeasyPrint's system libraries (libharfbuzz-subset0: fast font subsetting) and fonts.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 apopms
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install .
RUN DEBUG=0 SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0123456789 \
    python manage.py collectstatic --noinput

USER apopms
EXPOSE 8000
CMD ["gunicorn", "apopms.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
