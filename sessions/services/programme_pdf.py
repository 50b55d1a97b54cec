"""The printable programme of a published version: rendered once by the worker, kept in storage.

The view serves the stored file and never renders a published version itself; a version whose
file is not made yet (published before this existed, or the worker is behind) is queued again.
"""

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from apopms.tasks import enqueue_on_commit

from ..models import ProgrammeVersion
from ..pdf import render_programme_pdf


def queue_programme_pdf(version):
    """Queue the rendering of `version`'s PDFs after commit (nothing is queued if both are stored)."""
    if version.pdf and (version.pdf_with_participants or not version.with_participants):
        return
    from .. import tasks  # noqa: PLC0415 - the tasks call these services

    enqueue_on_commit(tasks.render_programme_version_pdf, version_id=version.pk)


def store_programme_pdf(*, version_id):
    """Render and store the PDFs of a published version that are missing; safe to run twice.

    The file for every visitor, and, when the version was announced with the participants,
    the one with their names. Returns how many files were made.
    """
    version = ProgrammeVersion.objects.select_related("project__host_country").filter(pk=version_id).first()
    if version is None:
        return 0
    made = 0
    variants = [("pdf", False)] + ([("pdf_with_participants", True)] if version.with_participants else [])
    for field, with_names in variants:
        if getattr(version, field):
            continue
        content = render_programme_pdf(version.project, version.snapshot, version=version, show_participants=with_names)
        suffix = "-participants" if with_names else ""
        name = f"{version.project.code}-v{version.number}{suffix}-{secrets.token_hex(4)}.pdf"
        stored = default_storage.save(
            ProgrammeVersion._meta.get_field(field).generate_filename(version, name), ContentFile(content)
        )
        with transaction.atomic():
            updated = ProgrammeVersion.objects.filter(pk=version.pk, **{field: ""}).update(**{field: stored})
        if not updated:  # another worker stored it first
            default_storage.delete(stored)
            continue
        made += 1
    return made
