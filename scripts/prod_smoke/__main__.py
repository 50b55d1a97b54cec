"""`make prod-smoke`: the production shape of docker-compose.yml proven with processes.

nginx terminates TLS and sets X-Forwarded-Proto/For (deploy/nginx, PROXY_COUNT=1) in front of
gunicorn; two Celery workers and beat; PostgreSQL and Redis; DEBUG=0; e-mail to a local SMTP sink.
Every command and worker count comes from docker-compose.yml (processes.py). A round is driven
over HTTPS (round.py) and, while the 100 certificates are issued across both workers:

(a) a pool child of worker a is SIGKILLed mid-batch. Its task is not lost: acks late with reject on
    worker lost (settings) put the message back on the queue at once; a worker runs it again.
(b) the main process of worker b is SIGKILLed (with its pool children, as a container's end
    would), then started again. The messages it held stay unacknowledged in Redis until the
    visibility timeout (CELERY_VISIBILITY_TIMEOUT, 3600 s); sooner, beat's sweep of stalled
    batches (certificates.tasks.resume_stalled_batches) queues their certificates again once the
    batch made no progress for CERTIFICATE_STALL_SECONDS (300 s in production; 10 s here). E-mails
    whose send task died are sent by the outbox's sweep (OUTBOX_SWEEP_AFTER, 10 s here).

Then: one live certificate per eligible participant, every PDF opens (pdfinfo), no request failed,
every outbox e-mail reached the sink (at least once, one Message-ID each), the compose file's
health checks pass, no pool process was killed but ours, the backup and restore drill (drill.py),
and every process stops cleanly on SIGTERM. Figures are printed at the end.

Databases: SMOKE_DATABASE_URL and SMOKE_RESTORE_DATABASE_URL (dropped and created; defaults
apopms_smoke and apopms_restore on 127.0.0.1), Redis SMOKE_REDIS_URL (its database is emptied
first; default redis://127.0.0.1:6379/14). The work folder (logs) is kept when a check fails, or with SMOKE_KEEP=1.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from smoke import main

if __name__ == "__main__":
    sys.exit(main())
