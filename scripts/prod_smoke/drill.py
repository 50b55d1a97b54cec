"""The backup and restore drill: `scripts/backup.sh` of the smoke's database and media, then
`scripts/restore.sh` into a fresh database and an empty folder, served by gunicorn behind the same
proxy: a certificate issued before must still verify, and its PDF download byte for byte."""

import subprocess
import time

from processes import ROOT


def backup(env, work):
    began = time.monotonic()
    out = subprocess.run(
        ["scripts/backup.sh", str(work / "backups")], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise AssertionError(f"backup failed: {out.stderr}")
    archive = next((work / "backups").glob("apopms-*.tar.gz"))
    return archive, time.monotonic() - began, out.stdout.strip()


def restore(archive, env):
    began = time.monotonic()
    out = subprocess.run(
        ["scripts/restore.sh", str(archive)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise AssertionError(f"restore failed: {out.stderr}")
    return time.monotonic() - began, out.stdout.strip()


def refuses_a_database_in_use(archive, env):
    """Restoring over the live database must be refused, leaving it untouched."""
    out = subprocess.run(
        ["scripts/restore.sh", str(archive)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    return out.returncode != 0 and "not empty" in out.stderr


def verify_restored(client, *, number, code, pdf):
    """The verification page and the PDF of certificate `number`, served from the restored copy."""
    page = client.get(f"/v/{code}/")
    assert page.status == 200 and number in page.text, f"certificate {number} does not verify after the restore"
    download = client.get(f"/certificates/{number}/pdf/")
    assert download.status == 200, f"the PDF of {number} does not download after the restore"
    assert download.body == pdf, f"the PDF of {number} differs after the restore"
    return len(download.body)
