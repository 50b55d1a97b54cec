"""Demo data of the certificates: the seed workshop's certificates, issued.

Runs after the sessions demo has recorded attendance, so the participants who attended
every session get their certificate and can download it from "My workshop".
Idempotent: issue_certificate returns the live certificate a participant already has.
"""

from apopms.demo import SEED_CODE
from apopms.exceptions import DomainError
from apopms.models import Project, User

from . import selectors, services


def load(stdout):
    project = Project.objects.filter(code=SEED_CODE).first()
    if project is None:
        return
    actor = User.objects.filter(email__iexact="admin@apo.demo").first()
    waiting = list(selectors.participants_without_certificate(project).select_related("project", "country"))
    issued, refused = 0, []
    for participant in waiting:
        try:
            services.issue_certificate(participant=participant, actor=actor)
        except DomainError as exc:
            refused.append(f"{participant.certificate_name}: {exc.message}")
        else:
            issued += 1
    live = project.certificates.filter(revoked_at__isnull=True).count()
    stdout.write(f"Certificates of {SEED_CODE}: {issued} issued now, {live} live in all.")
    for line in refused[:5]:
        stdout.write(f"  not issued: {line}")
