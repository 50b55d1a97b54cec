"""The closing figures of `make prod-smoke`."""

import statistics

from processes import compose_command


def text(f, log, stopped):
    rows, deliveries, distinct = f["mail"]
    median_ms = statistics.median(e["s"] for e in log.entries) * 1000
    workers, web = compose_command("worker"), compose_command("web")
    concurrency, gunicorn_workers = workers[workers.index("--concurrency") + 1], web[web.index("--workers") + 1]
    return f"""
prod-smoke passed in {f["total_s"]:.0f} s (seconds per phase: {f["laps"]})
  processes   nginx (TLS, X-Forwarded-Proto) -> gunicorn --workers {gunicorn_workers};
              2 Celery workers (--concurrency {concurrency}) + beat; PostgreSQL, Redis; DEBUG=0
  requests    {len(log.entries)} over HTTPS, {len(log.failed())} failed; median {median_ms:.0f} ms
  certificates {f["live"]} live for {f["eligible"]} eligible participants, one each; issued in {f["issue_s"]:.0f} s
              issue_one tasks done per worker process: {f["by_worker"]}
  kills       {len(f["kills"])}: {"; ".join(f["kills"])}
  recovery    (a) {f["requeued"]} task(s) requeued after the child's death (WorkerLostError; acks late + reject on worker lost)
              (b) worker b held {f["held_by_b"]} unfinished task(s) when killed; beat's sweep of the stalled batch queued {f["resumed"]} certificate(s) again
  restarts    {f["restarts"]} (worker b)
  PDFs        {f["opened"]} downloaded through the proxy, {f["opened"]} open (pdfinfo)
  e-mails     {rows} outbox messages, all sent; {deliveries} deliveries to the SMTP sink, {distinct} distinct Message-IDs
  health      the compose file's health checks: {f["health"]}; the proxy's: /healthz through it
  log lines   one per event with time, level, process, logger: {f["log_lines"]}
  backup      {f["archive"][0]} ({f["archive"][1] / 1024:.0f} KiB) in {f["backup_s"]:.1f} s; restored in {f["restore_s"]:.1f} s
  drill       certificate {f["drill_certificate"][0]} verifies after the restore; its PDF ({f["drill_certificate"][1]} bytes) is identical
  stops       every process exited 0 on SIGTERM, nothing left running: {stopped}
"""
