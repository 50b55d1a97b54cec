"""The processes of the production shape, started with docker-compose.yml's own commands.

`compose_command(service)` reads a service's `command:` from the compose file (the worker count
of gunicorn and the concurrency of Celery come from there); `translate` only points it at this
machine: the virtualenv's executables, a port on 127.0.0.1 instead of the container's 0.0.0.0:8000,
beat's schedule file in the work folder, and a node name per worker (two containers have two host
names; two processes on one machine would share one).
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def compose_command(service):
    text = (ROOT / "docker-compose.yml").read_text().split("\nservices:\n", 1)[1]
    block = re.search(rf"(?:^|\n)  {service}:\n(.*?)(?=\n  [a-z]+:\n|\nvolumes:)", text, re.S)[1]
    return json.loads(re.search(r"^    command: (\[.*\])$", block, re.M)[1])


def translate(command, *, web_port=None, work=None, node=None):
    out = []
    for word in command:
        if word in ("celery", "gunicorn"):
            word = str(BIN / word)
        elif word == "python":
            word = sys.executable
        elif word == "0.0.0.0:8000":
            word = f"127.0.0.1:{web_port}"
        elif word.endswith("/celerybeat-schedule"):
            word = str(work / "celerybeat-schedule")
        out.append(word)
    if node:
        out += ["-n", f"{node}@%h"]
    return out


def children(pid):
    """The pids whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def cpu_ticks(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


class Proc:
    """One long-running process in its own session, its output in work/<name>.log."""

    def __init__(self, name, command, env, work):
        self.name, self.command, self.env, self.work = name, command, env, work
        self.log_path = work / f"{name}.log"
        self.popen = None
        self.exit_code = None

    def start(self):
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps it
        self.popen = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        return self

    @property
    def pid(self):
        return self.popen.pid

    def running(self):
        return self.popen is not None and self.popen.poll() is None

    def kill_hard(self):
        """SIGKILL the main process; then what it leaves running (a container's end takes those too)."""
        os.kill(self.pid, signal.SIGKILL)
        self.popen.wait()
        leftovers = self._group()
        for pid in leftovers:
            os.kill(pid, signal.SIGKILL)
        return leftovers

    def _group(self):
        pgid = self.popen.pid
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) == pgid and alive(int(entry.name)):
                        pids.append(int(entry.name))
                except (ProcessLookupError, OSError):
                    continue
        return pids

    def stop(self, sig=signal.SIGTERM, timeout=60):
        """Ask it to stop; returns (exit code, pids of its group still alive afterwards)."""
        if not self.running():
            return self.popen.returncode, self._group()
        self.popen.send_signal(sig)
        try:
            self.exit_code = self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)
            self.exit_code = self.popen.wait()
            return "timeout", []
        deadline = time.monotonic() + 10
        while (left := self._group()) and time.monotonic() < deadline:
            time.sleep(0.2)
        return self.exit_code, left

    def log_text(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def wait_for(predicate, timeout, what, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"Timed out after {timeout:.0f} s waiting for {what}")


# ------------------------------------------------------------------- nginx, the TLS proxy

NGINX_MAIN = """worker_processes 1;
pid {work}/nginx.pid;
daemon off;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {work}/nginx-access.log;
    client_body_temp_path {work}/nginx-tmp/body;
    proxy_temp_path {work}/nginx-tmp/proxy;
    fastcgi_temp_path {work}/nginx-tmp/fastcgi;
    uwsgi_temp_path {work}/nginx-tmp/uwsgi;
    scgi_temp_path {work}/nginx-tmp/scgi;
    include {work}/apopms.conf;
}}
"""


def nginx(work, *, host, web_port, http_port, https_port, env):
    """deploy/nginx/apopms.conf.template filled in as the nginx image does (only these names)."""
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={host}",
            "-addext", f"subjectAltName=DNS:{host},IP:127.0.0.1",
            "-keyout", str(work / "tls.key"), "-out", str(work / "tls.crt"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    values = {
        "SERVER_NAME": host,
        "WEB_UPSTREAM": f"127.0.0.1:{web_port}",
        "HTTP_PORT": f"127.0.0.1:{http_port}",
        "HTTPS_PORT": f"127.0.0.1:{https_port}",
        "HTTPS_SUFFIX": f":{https_port}",
        "TLS_CERT": str(work / "tls.crt"),
        "TLS_KEY": str(work / "tls.key"),
    }
    template = (ROOT / "deploy/nginx/apopms.conf.template").read_text()
    site = re.sub(r"\$\{(\w+)\}", lambda m: values.get(m[1], m[0]), template)
    (work / "apopms.conf").write_text(site)
    (work / "nginx-tmp").mkdir()
    (work / "nginx.conf").write_text(NGINX_MAIN.format(work=work))
    binary = "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "nginx"
    command = [binary, "-c", str(work / "nginx.conf"), "-p", str(work), "-e", str(work / "nginx-error.log")]
    return Proc("nginx", command, env, work)


def compose_healthcheck(service, *, web_port, work, node):
    """A service's health check command from docker-compose.yml, pointed at this machine like its command."""
    text = (ROOT / "docker-compose.yml").read_text().split("\nservices:\n", 1)[1]
    block = re.search(rf"(?:^|\n)  {service}:\n(.*?)(?=\n  [a-z]+:\n|\nvolumes:)", text, re.S)[1]
    check = block.split("    healthcheck:\n", 1)[1]
    one_line = re.search(r"^      test: (\[.*\])$", check, re.M)
    if one_line:
        test = json.loads(one_line[1])
    else:  # a block list, one item per line
        items = re.search(r"^      test:\n((?:        - .*\n)+)", check, re.M)[1]
        test = [json.loads(line.strip()[2:]) if line.strip()[2:].startswith('"') else line.strip()[2:]
                for line in items.splitlines()]  # fmt: skip
    kind, *words = test
    if kind == "CMD-SHELL":
        words = words[0].replace("$$HOSTNAME", socket.gethostname()).replace("celery@", f"{node}@").split()
    words = [w.replace("127.0.0.1:8000", f"127.0.0.1:{web_port}").replace("/home/apopms/", f"{work}/") for w in words]
    return translate(words, web_port=web_port, work=work)
