"""The audit trail: one entry per thing that happened. Written by apopms.audit.record."""

import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from .projects import Project


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))

    def pseudonymise(self, replacements):
        """Replace a person's words (names, e-mail) in these entries' text and details; the count changed.

        A word matches whatever its case and spacing ("anjali  SHARMA" for "Anjali Sharma"). The one
        path that edits audit entries (`save` refuses): the retention purge and erasure on request,
        which are themselves audited. It writes with `bulk_update`, so `save` is not called.
        """
        patterns = [
            (_word_pattern(old), new)
            for old, new in sorted(replacements.items(), key=lambda item: -len(item[0] or ""))
            if old and old.strip()
        ]
        changed = []
        for entry in self.only("pk", "object_repr", "details"):
            text = _replace(entry.object_repr, patterns)
            details = _replace(entry.details, patterns)
            if text != entry.object_repr or details != entry.details:
                entry.object_repr, entry.details = text, details
                changed.append(entry)
        self.model.objects.bulk_update(changed, ["object_repr", "details"], batch_size=500)
        return len(changed)


def _word_pattern(word):
    return re.compile(r"\s+".join(re.escape(part) for part in word.split()), re.IGNORECASE)


def _replace(value, patterns):
    """`value` (a string, or JSON data: lists and dicts walked, keys left) with every pattern replaced."""
    if isinstance(value, str):
        for pattern, new in patterns:
            value = pattern.sub(lambda _match, new=new: new, value)
        return value
    if isinstance(value, list):
        return [_replace(item, patterns) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, patterns) for key, item in value.items()}
    return value


class AuditEntry(models.Model):
    """One thing that happened: who, what (dotted action), on what, in which project, when. Never edited."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=300, blank=True)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries")
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit entries are never edited.")
        super().save(*args, **kwargs)
