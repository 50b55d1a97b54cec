"""The smoke round's course: databases, processes, the round with its kills, checks, drill, stops."""

import contextlib
import importlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import drill
import environ
import psycopg2
import redis
import report
from client import Client, RequestLog
from processes import (
    ROOT,
    Proc,
    children,
    compose_command,
    compose_healthcheck,
    cpu_ticks,
    nginx,
    translate,
    wait_for,
)

HOST = "portal.smoke.test"
# Certificates are issued in chunks (certificates.services.CHUNK), each made live in one transaction:
# the live count jumps by whole chunks, and on an idle machine every chunk of the round may be done
# before the count is seen to move. So (a) comes while worker a renders a chunk, and (b) while
# worker b holds one, or once SECOND_KILL_AT certificates are live if none is left for it.
SECOND_KILL_AT = 45
SMOKE_TIMINGS = {
    # Fast sweeps, so the lost work of the killed main process comes back within the round.
    "CERTIFICATE_SWEEP_SECONDS": "5",
    "CERTIFICATE_STALL_SECONDS": "10",
    "OUTBOX_SWEEP_EVERY": "5",
    "OUTBOX_SWEEP_AFTER": "10",
    "OUTBOX_LEASE": "30",
}


def say(text):
    print(f"-- {text}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database(url, *, drop_only=False):
    db = environ.Env.db_url_config(url)
    conn = psycopg2.connect(
        dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or 5432
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
    conn.close()


def compose_env_value(name, default):
    match = re.search(rf'^    {name}: "?([^"\n]+)"?$', (ROOT / "docker-compose.yml").read_text(), re.M)
    return match[1] if match else default


def chunks_in_progress(log):
    """How many `issue_chunk` tasks a worker's log shows received and not yet finished."""
    received = set(re.findall(r"Task certificates\.tasks\.issue_chunk\[([^\]]+)\] received", log))
    done = set(re.findall(r"Task certificates\.tasks\.issue_chunk\[([^\]]+)\] (?:succeeded|raised|retry)", log))
    return len(received - done)


class Smoke:
    def __init__(self):
        self.work = Path(tempfile.mkdtemp(prefix="apopms-smoke-"))
        self.work.chmod(0o755)  # nginx's workers (nobody, when run as root) use its temp folders
        self.db_url = os.environ.get("SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/apopms_smoke")
        self.restore_url = os.environ.get(
            "SMOKE_RESTORE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/apopms_restore"
        )
        self.redis_url = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/14")
        self.web_port, self.http_port, self.https_port = free_port(), free_port(), free_port()
        self.procs = {}
        self.stops = {}
        self.retired = set()  # stopped, or killed on purpose
        self.log = RequestLog()
        self.figures = {"kills": [], "restarts": 0}

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SENTRY_", "CELERY_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="apopms.settings",
            PYTHONPATH=str(ROOT),
            PYTHONUNBUFFERED="1",  # as in the image: each log line is written as it happens
            DATABASE_URL=self.db_url,
            REDIS_URL=self.redis_url,
            DEBUG="0",
            SECRET_KEY=self.secret,
            ALLOWED_HOSTS=HOST,
            CSRF_TRUSTED_ORIGINS=f"https://{HOST}:{self.https_port}",
            SITE_URL=f"https://{HOST}:{self.https_port}",
            MEDIA_ROOT=str(self.work / "media"),
            STATIC_ROOT=str(self.work / "static"),
            PROXY_COUNT=compose_env_value("PROXY_COUNT", "1"),
            CONN_MAX_AGE=compose_env_value("CONN_MAX_AGE", "0"),
            EMAIL_URL=f"smtp://127.0.0.1:{self.sink.port}",
            LOG_LEVEL="INFO",
            **SMOKE_TIMINGS,
        )
        env.pop("STATICFILES_STORAGE", None)
        env.update(extra)
        return env

    # ------------------------------------------------------------------ processes

    def start(self, name, service, *, node=None, env=None):
        command = translate(compose_command(service), web_port=self.web_port, work=self.work, node=node)
        self.procs[name] = Proc(name, command, env or self.env(), self.work).start()
        return self.procs[name]

    def stop(self, name):
        self.retired.add(name)
        code, left = self.procs[name].stop()
        self.stops[name] = (code, left)

    def kill_everything(self):
        for proc in self.procs.values():
            if proc.running():
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)

    def start_stack(self):
        say("migrate (docker-compose's one-shot `migrate`), collectstatic (the image's build step)")
        for command in (
            translate(compose_command("migrate")),
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        ):
            subprocess.run(command, cwd=ROOT, env=self.env(), check=True, stdout=subprocess.DEVNULL)
        say(f"gunicorn, nginx (TLS on 127.0.0.1:{self.https_port}), workers a and b, beat")
        self.start("web", "web")
        proxy = nginx(self.work, host=HOST, web_port=self.web_port, http_port=self.http_port,
                      https_port=self.https_port, env=self.env())  # fmt: skip
        self.procs["nginx"] = proxy.start()
        self.start("worker-a", "worker", node="a")
        self.start("worker-b", "worker", node="b")
        self.start("beat", "beat")
        ca = self.work / "tls.crt"
        wait_for(lambda: self._healthy(ca), 60, "the web behind the proxy")
        for name in ("worker-a", "worker-b"):
            wait_for(lambda n=name: "ready." in self.procs[n].log_text(), 90, f"{name} ready")

    def _healthy(self, ca):
        for name, proc in self.procs.items():
            if name not in self.retired and not proc.running():
                raise RuntimeError(f"{name} exited: {proc.log_text()[-2000:]}")
        try:
            probe = Client(self.https_port, HOST, ca, RequestLog())
            return probe.get("/healthz").status == 200
        except OSError:
            return False

    def client(self):
        return Client(self.https_port, HOST, self.work / "tls.crt", self.log)

    # ------------------------------------------------------------------ the kills

    def kill_a_pool_child(self):
        """SIGKILL the busiest pool child of worker a (the one rendering a PDF). Should it have been
        between two tasks (no task lost: nothing to prove), the next busiest is killed, up to 3 times."""
        proc = self.procs["worker-a"]
        for _ in range(3):
            before = {pid: cpu_ticks(pid) for pid in children(proc.pid)}
            time.sleep(0.3)
            busiest = max(before, key=lambda pid: cpu_ticks(pid) - before[pid])
            os.kill(busiest, signal.SIGKILL)
            self.figures["kills"].append(f"pool child {busiest} of worker a (SIGKILL)")
            with contextlib.suppress(TimeoutError):
                wait_for(lambda: "WorkerLostError" in proc.log_text(), 10, "the task's requeue")
                return
        raise AssertionError("three pool children were killed, none during a task")

    def kill_and_restart_worker_b(self):
        proc = self.procs["worker-b"]
        self.retired.add("worker-b")
        text = proc.log_text()
        self.figures["held_by_b"] = len(re.findall(r"Task \S+\[[^\]]+\] received", text)) - len(
            re.findall(r"Task \S+\[[^\]]+\] (succeeded|raised|retry)", text)
        )
        orphans = proc.kill_hard()
        self.figures["kills"].append(
            f"main process {proc.pid} of worker b (SIGKILL), then its {len(orphans)} orphaned pool children"
        )
        self.start("worker-b-restarted", "worker", node="b")
        self.figures["restarts"] += 1

    # ------------------------------------------------------------------ the round

    def issue_with_kills(self, admin, project):
        from certificates.models import Certificate, IssueBatch  # noqa: PLC0415 - after django.setup()

        def live():
            return Certificate.objects.live().filter(project=project).count()

        polls = {"at": 0.0}

        def waiting(target):
            def check():
                if time.monotonic() - polls["at"] > 1:  # the Secretariat's page polls the counters
                    admin.get(f"/projects/{self.steps.CODE}/certificates/progress/")
                    polls["at"] = time.monotonic()
                return live() >= target

            return check

        def chunk_on(name):
            def check():
                waiting(10**6)()  # the page's polling goes on meanwhile
                return chunks_in_progress(self.procs[name].log_text())

            return check

        began = time.monotonic()
        self.steps.start_issuing(admin)
        wait_for(chunk_on("worker-a"), 180, "a chunk rendering on worker a", interval=0.05)
        self.kill_a_pool_child()
        b_busy, enough = chunk_on("worker-b"), waiting(SECOND_KILL_AT)
        wait_for(
            lambda: b_busy() or enough(), 180, f"a chunk on worker b or {SECOND_KILL_AT} certificates", interval=0.05
        )
        self.kill_and_restart_worker_b()

        def finished():
            waiting(10**6)()
            return live() == self.participants and not IssueBatch.objects.filter(finished_at__isnull=True).exists()

        wait_for(finished, 240, "the batch to finish", interval=0.5)
        self.figures["issue_s"] = time.monotonic() - began

    def download_and_open(self, admin, project):
        from certificates.models import Certificate  # noqa: PLC0415 - after django.setup()

        folder = self.work / "downloads"
        folder.mkdir()
        opened, pdfs = 0, {}
        certificates = list(Certificate.objects.live().filter(project=project).order_by("serial"))
        for certificate in certificates:
            response = admin.get(f"/certificates/{certificate.number}/pdf/")
            path = folder / f"{certificate.number}.pdf"
            path.write_bytes(response.body)
            pdfs[certificate.number] = response.body
            opened += self.checks.pdf_opens(path)
        # The public verification page (rate limited per visitor: a sample of ten).
        visitor = self.client()
        for certificate in certificates[:10]:
            page = visitor.get(f"/v/{certificate.verification_code}/")
            assert certificate.number in page.text, f"{certificate.number} does not verify"
        return certificates, pdfs, opened

    def run(self):
        started = self.began = time.monotonic()
        from tests.smtp_sink import SmtpSink  # noqa: PLC0415 - the repository is on the path now

        self.secret = secrets.token_urlsafe(50)
        with SmtpSink() as sink:
            self.sink = sink
            say(f"work folder {self.work}; fresh database {self.db_url.rsplit('/', 1)[-1]}; Redis {self.redis_url}")
            recreate_database(self.db_url)
            redis.Redis.from_url(self.redis_url).flushdb()
            os.environ.update(self.env())
            self.start_stack()
            self.lap("start")
            import django  # noqa: PLC0415 - set up with the smoke's environment

            django.setup()
            self.checks, self.steps = importlib.import_module("checks"), importlib.import_module("round")
            from django.db import connections  # noqa: PLC0415 - after django.setup()

            project = self.steps.seed()
            say("the round over HTTPS: logins, a nomination, selection, programme, attendance")
            npo, admin = self.client(), self.client()
            npo.login(self.steps.OFFICER, self.steps.PASSWORD)
            self.steps.nominate(npo)
            admin.login(self.steps.ADMIN, self.steps.PASSWORD)
            self.participants = self.steps.select(admin)
            self.steps.programme(admin)
            self.steps.attendance(admin)
            self.lap("round")
            say(f"issuing {self.participants} certificates; kill (a) and (b) while they render a chunk")
            self.issue_with_kills(admin, project)
            self.lap("issuing")
            say("checks: certificates, PDFs, e-mails")
            eligible, live, problems = self.checks.one_live_certificate_each(project)
            assert not problems, problems[:10]
            certificates, pdfs, opened = self.download_and_open(admin, project)
            assert opened == len(certificates) == eligible, f"{opened} of {len(certificates)} PDFs open"
            wait_for(self.checks.outbox_done, 120, "every outbox e-mail sent", interval=0.5)
            rows, deliveries, distinct, mail_problems = self.checks.mail_delivered(sink)
            assert not mail_problems, mail_problems[:10]
            self.figures.update(eligible=eligible, live=live, opened=opened, mail=(rows, deliveries, distinct))
            self.count_work()
            self.lap("checks")
            self.drill(certificates[0], pdfs[certificates[0].number], connections)
        self.lap("drill")
        failed = self.log.failed()
        assert not failed, f"{len(failed)} requests failed: {self.log.summary()}"
        unclean = {n: s for n, s in self.stops.items() if s != (0, [])}
        assert not unclean, f"processes that did not stop cleanly (exit code, leftovers): {unclean}"
        self.figures["total_s"] = time.monotonic() - started
        print(report.text(self.figures, self.log, sorted(self.stops)), flush=True)

    def lap(self, phase):
        now = time.monotonic()
        self.figures.setdefault("laps", {})[phase] = round(now - self.figures.get("lap_at", self.began))
        self.figures["lap_at"] = now

    def count_work(self):
        logs = {name: proc.log_text() for name, proc in self.procs.items()}
        self.figures["by_worker"] = {
            name: self.checks.tasks_succeeded(text) for name, text in logs.items() if name.startswith("worker")
        }
        # Celery logs one error line per task whose pool child died under it.
        self.figures["requeued"] = sum(
            len(re.findall(r"ERROR worker \S+: .*WorkerLostError", text)) for text in logs.values()
        )
        from apopms.models import AuditEntry  # noqa: PLC0415 - after django.setup()

        resumed = AuditEntry.objects.filter(action="certificates.batch.resumed")
        self.figures["resumed"] = sum(entry.details.get("count", 0) for entry in resumed)
        # Pool processes killed by anyone but this script (Celery kills a child that starts too slowly).
        deaths = sum(len(re.findall(r"multiprocessing: Process .* exited with 'signal 9", t)) for t in logs.values())
        ours = sum(kill.startswith("pool child ") for kill in self.figures["kills"])
        slow = sum(text.count("Timed out waiting for UP message") for text in logs.values())
        assert deaths == ours and not slow, f"{deaths - ours} pool processes killed unasked ({slow} slow to start)"
        self.figures["health"] = self.health_checks()
        kinds = {"web": "web", "worker-a": "worker", "worker-b": "worker", "beat": "beat"}
        self.figures["log_lines"] = {name: self.checks.log_lines(logs[name], kind) for name, kind in kinds.items()}
        assert all(self.figures["log_lines"].values()), f"a process logs no event line: {self.figures['log_lines']}"

    def health_checks(self):
        """docker-compose.yml's health checks, run against the processes (the proxy's: /healthz through it)."""
        results = {}
        for name, service, node in (("web", "web", None), ("worker-a", "worker", "a"),
                                    ("worker-b-restarted", "worker", "b"), ("beat", "beat", None)):  # fmt: skip
            command = compose_healthcheck(service, web_port=self.web_port, work=self.work, node=node)
            out = subprocess.run(command, cwd=ROOT, env=self.env(), capture_output=True, text=True, timeout=60)
            results[name] = "healthy" if out.returncode == 0 else f"unhealthy: {out.stdout[-300:]} {out.stderr[-300:]}"
        assert all(r == "healthy" for r in results.values()), results
        return results

    def drill(self, certificate, pdf, connections):
        say("backup while the portal runs; then every worker and beat stops")
        archive, backup_s, _ = drill.backup(self.env(), self.work)
        assert drill.refuses_a_database_in_use(archive, self.env()), "restore over a database in use was not refused"
        for name in ("beat", "worker-a", "worker-b-restarted"):
            self.stop(name)
        say(f"restore {archive.name} into a fresh database and an empty media folder")
        connections.close_all()
        recreate_database(self.restore_url)
        restored = self.env(DATABASE_URL=self.restore_url, MEDIA_ROOT=str(self.work / "media-restored"))
        restore_s, _ = drill.restore(archive, restored)
        self.stop("web")
        self.start("web-restored", "web", env=restored)
        wait_for(lambda: self._healthy(self.work / "tls.crt"), 60, "the restored web")
        admin = self.client()
        admin.login(self.steps.ADMIN, self.steps.PASSWORD)
        size = drill.verify_restored(admin, number=certificate.number, code=certificate.verification_code, pdf=pdf)
        self.figures.update(
            archive=(archive.name, archive.stat().st_size), backup_s=backup_s, restore_s=restore_s,
            drill_certificate=(certificate.number, size),
        )  # fmt: skip
        for name in ("web-restored", "nginx"):
            self.stop(name)
        recreate_database(self.restore_url, drop_only=True)
        recreate_database(self.db_url, drop_only=True)


def main():
    smoke = Smoke()
    try:
        smoke.run()
    except BaseException:
        smoke.kill_everything()
        print(f"\nprod-smoke FAILED; logs kept in {smoke.work}", file=sys.stderr)
        recreate_database(smoke.restore_url, drop_only=True)
        for name, proc in smoke.procs.items():
            print(f"\n==== {name} (last lines)\n{proc.log_text()[-3000:]}", file=sys.stderr)
        raise
    smoke.kill_everything()
    if not os.environ.get("SMOKE_KEEP"):
        shutil.rmtree(smoke.work, ignore_errors=True)
    return 0
