"""Applying each project's retention of personal data (apopms.privacy), run daily by beat.

It lives at the top of the apps because one purge reaches every app's rows: nominations, import
rows, report mappings, attendance, the outbox and the audit trail. Three stages per project, each
once, each in one transaction, each audited:

- CVs, `cv_limit` after the selection is published: the files are deleted from storage;
- nominees not selected, `nominee_limit` after the project ends: their personal fields are erased
  (country, gender, organization type, category and outcome stay for the statistics), and the
  project's working copies go: import rows and files, report mappings, the outbox's addresses and
  bodies, resource persons' e-mail;
- participants, `participant_limit` after the project ends: the same reduction, and attendance
  keeps only present/seconds per session, the evaluation only its ratings and choices (the free-text
  answers go); a participant holding a certificate keeps the name it
  certifies (its snapshot and PDF stay, so it can still be verified).

End-of-project reports (the reports app, above this one) follow through the core's
`personal_data_purged` signal: at the nominee limit every version but the latest ready one goes,
at the participant limit every version that names participants.

A project whose `purge_hold_reason` is set is skipped. Files are deleted after the commit, so a
rolled-back purge loses none. Audit entries naming an erased person are pseudonymised through
`AuditEntryQuerySet.pseudonymise`, the one path allowed to edit them.
"""

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Replace
from django.utils import timezone

from apopms import audit, privacy
from apopms.models import AuditEntry, OutboxMessage, Project
from apopms.signals import personal_data_purged
from certificates.models import Certificate
from evaluations.models import Answer
from nominations.models import Nomination, NominationImport, Participant
from sessions.models import Attendance, AttendanceImport, ProgrammeVersion, ReportMapping, ResourcePerson

ERASED_NAME = "(erased)"

NOMINEE_BLANKS = {
    "native_name": "",
    "date_of_birth": None,
    "phone": "",
    "organization": "",
    "position": "",
    "years_experience": None,
    "statement": "",
    "english_proficiency": "",
    "cv_original_name": "",
    "withdrawal_reason": "",
    "decision_reason": "",
}


def _delete_after_commit(files):
    names = [(f.storage, f.name) for f in files if f]

    def delete():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)
    return len(names)


def _pseudonymise_audit(project, nominations):
    replacements = {}
    for n in nominations:
        for word in (n.email, n.certificate_name, n.native_name):
            if word:
                replacements[word] = privacy.pseudonym(n.pk)
    return AuditEntry.objects.filter(project=project).pseudonymise(replacements) if replacements else 0


def erase_nominations(nominations, *, now, keep_name=frozenset()):
    """Blank the personal fields of these nominations (and their files, after commit); the files deleted.

    `keep_name`: pks of nominations whose participant holds a certificate (the name stays).
    """
    files = _delete_after_commit([n.cv for n in nominations])
    for n in nominations:
        for field, blank in NOMINEE_BLANKS.items():
            setattr(n, field, blank)
        n.email = privacy.erased_email(n.pk)
        n.cv = ""
        if n.pk not in keep_name:
            n.certificate_name = privacy.pseudonym(n.pk)
        n.personal_data_erased_at = now
    Nomination.objects.bulk_update(
        nominations,
        [*NOMINEE_BLANKS, "email", "cv", "certificate_name", "personal_data_erased_at"],
        batch_size=500,
    )
    return files


def purge_cvs(project, *, now):
    nominations = list(Nomination.objects.filter(project=project).exclude(cv=""))
    files = _delete_after_commit([n.cv for n in nominations])
    Nomination.objects.filter(pk__in=[n.pk for n in nominations]).update(cv="", cv_original_name="")
    Project.objects.filter(pk=project.pk).update(cvs_purged_at=now)
    audit.record("workspace.retention.cvs_purged", target=project, files=files)
    return files


def _purge_working_copies(project):
    import_files = _delete_after_commit([i.file for i in NominationImport.objects.filter(project=project)])
    NominationImport.objects.filter(project=project).update(file="", file_name="", rows=[], summary={}, error="")
    AttendanceImport.objects.filter(session__project=project).update(file_name="", rows=[], meta={}, summary={})
    mappings = ReportMapping.objects.filter(project=project).delete()[0]
    outbox = OutboxMessage.objects.filter(project=project).exclude(recipient_name="", body_text="", body_html="")
    messages = outbox.update(recipient_name="", cc=[], body_text="", body_html="")
    ResourcePerson.objects.filter(project=project).update(email="")
    return {"import_files": import_files, "report_mappings": mappings, "outbox_messages": messages}


def _erase_outbox_addresses(project, nominations):
    for n in nominations:
        erased = privacy.erased_email(n.pk)
        OutboxMessage.objects.filter(project=project, recipient__iexact=n.email).update(
            recipient=erased, key=Replace("key", Value(n.email), Value(erased))
        )


def purge_higher_apps(project, *, stage, now):
    """What the apps above the workspace hold (old report versions): {"report_files": n deleted}."""
    responses = personal_data_purged.send(sender=Project, project=project, stage=stage, now=now)
    return {"report_files": sum(result or 0 for _receiver, result in responses)}


def purge_nominees(project, *, now):
    nominations = list(
        Nomination.objects.filter(project=project, personal_data_erased_at__isnull=True, participant__isnull=True)
    )
    pseudonymised = _pseudonymise_audit(project, nominations)
    _erase_outbox_addresses(project, nominations)
    files = erase_nominations(nominations, now=now)
    copies = _purge_working_copies(project)
    copies.update(purge_higher_apps(project, stage="nominees", now=now))
    Project.objects.filter(pk=project.pk).update(nominees_purged_at=now)
    audit.record(
        "workspace.retention.nominees_purged",
        target=project,
        nominees=len(nominations),
        files=files,
        audit_entries=pseudonymised,
        **copies,
    )
    return len(nominations)


def _erase_programme_participants(project):
    """Published programmes announced with participants keep their count by country, not the names."""
    versions = [v for v in ProgrammeVersion.objects.filter(project=project) if v.snapshot.get("participants")]
    files = _delete_after_commit([v.pdf_with_participants for v in versions])
    for version in versions:
        version.snapshot["participants"] = [
            {**person, "name": ERASED_NAME} for person in version.snapshot["participants"]
        ]
        version.pdf_with_participants = ""
    ProgrammeVersion.objects.bulk_update(versions, ["snapshot", "pdf_with_participants"])
    return files


def purge_participants(project, *, now):
    nominations = list(
        Nomination.objects.filter(
            project=project, personal_data_erased_at__isnull=True, participant__isnull=False
        ).select_related("participant")
    )
    certified = set(
        Certificate.objects.filter(project=project, revoked_at__isnull=True).values_list(
            "participant__nomination_id", flat=True
        )
    )
    pseudonymised = _pseudonymise_audit(project, [n for n in nominations if n.pk not in certified])
    _erase_outbox_addresses(project, nominations)
    files = erase_nominations(nominations, now=now, keep_name=certified)
    participants = [n.participant for n in nominations if n.pk not in certified]
    for p in participants:
        p.certificate_name, p.native_name = privacy.pseudonym(p.nomination_id), ""
    Participant.objects.bulk_update(participants, ["certificate_name", "native_name"], batch_size=500)
    attendance = Attendance.objects.filter(session__project=project).update(intervals=[], reason="")
    # The evaluation keeps its ratings and choices for the statistics; the participants' own words go.
    texts = Answer.objects.filter(evaluation__project=project).exclude(text="").update(text="")
    files += _erase_programme_participants(project)
    _purge_working_copies(project)
    reports = purge_higher_apps(project, stage="participants", now=now)
    Project.objects.filter(pk=project.pk).update(participants_purged_at=now)
    audit.record(
        "workspace.retention.participants_purged",
        target=project,
        participants=len(nominations),
        files=files,
        attendance_rows=attendance,
        evaluation_texts=texts,
        audit_entries=pseudonymised,
        **reports,
    )
    return len(nominations)


def due(project, now):
    """The stages whose limit has passed and that have not run yet, in order."""
    stages = []
    cv_at = privacy.cv_limit(project)
    if cv_at and now >= cv_at and not project.cvs_purged_at:
        stages.append(purge_cvs)
    if now >= privacy.nominee_limit(project) and not project.nominees_purged_at:
        stages.append(purge_nominees)
    if now >= privacy.participant_limit(project) and not project.participants_purged_at:
        stages.append(purge_participants)
    return stages


def apply_retention(*, now=None):
    """Run every stage that is due on every project not on hold; {project code: [stage names]}."""
    now = now or timezone.now()
    done = {}
    for pk in Project.objects.filter(purge_hold_reason="").values_list("pk", flat=True):
        with transaction.atomic():
            project = Project.objects.lock(pk)
            if project.purge_hold_reason:
                continue
            stages = due(project, now)
            for stage in stages:
                stage(project, now=now)
            if stages:
                done[project.code] = [stage.__name__ for stage in stages]
    return done


def schedule(project, now=None):
    """What the hub shows: each stage with its date and whether it ran, and the hold."""
    cv_at = privacy.cv_limit(project)
    return {
        "hold": project.purge_hold_reason,
        "stages": [
            {"what": "CVs of all nominees", "at": cv_at, "done_at": project.cvs_purged_at},
            {
                "what": "Personal data of nominees not selected (statistics kept), import files and rows, "
                "report name mappings, e-mail bodies, end-of-project reports but the latest",
                "at": privacy.nominee_limit(project),
                "done_at": project.nominees_purged_at,
            },
            {
                "what": "Participants' personal data and attendance minutes (certificates kept), "
                "end-of-project reports naming participants",
                "at": privacy.participant_limit(project),
                "done_at": project.participants_purged_at,
            },
        ],
    }
