"""Reads of nominations shared by views, exports and other apps (constant query counts)."""

from django.db.models import Case, Count, F, IntegerField, Q, Value, When

from apopms import listing
from apopms.models import AuditEntry, Project

from ..enums import Decision, NominationState, NominationStatus
from ..models import Nomination

# Counted as drafts on the index pages: the NPO's drafts, and candidates' biodata not yet endorsed.
NOT_YET_SUBMITTED = [NominationStatus.DRAFT, NominationStatus.WITH_NPO]


def projects_for_officer(user):
    """Published projects open to the officer's country, newest first, with its nomination counts."""
    country = user.npo_country
    if country is None:
        return Project.objects.none()
    return (
        Project.objects.published()
        .for_country(country)
        .select_related("host_country")
        .annotate(
            drafts=Count(
                "nominations", filter=Q(nominations__country=country, nominations__status__in=NOT_YET_SUBMITTED)
            ),
            submitted=Count("nominations", filter=Q(nominations__country=country, nominations__status="submitted")),
        )
        .order_by("-start_date", "code")
    )


def projects_for_implementer(user):
    """The projects a host-side implementer works on, with their local nomination counts."""
    local = Q(nominations__category="local")
    return (
        Project.objects.filter(pk__in=user.implementer_project_ids())
        .select_related("host_country")
        .annotate(
            drafts=Count("nominations", filter=local & Q(nominations__status__in=NOT_YET_SUBMITTED)),
            submitted=Count("nominations", filter=local & Q(nominations__status="submitted")),
        )
        .order_by("-start_date", "code")
    )


def projects_for_secretariat():
    return (
        Project.objects.select_related("host_country")
        .annotate(
            drafts=Count("nominations", filter=Q(nominations__status__in=NOT_YET_SUBMITTED)),
            submitted=Count("nominations", filter=Q(nominations__status="submitted")),
        )
        .order_by("-start_date", "code")
    )


def country_nominations(project, country):
    """One country's nominations of a project: submitted by priority, then drafts and candidates' (to
    endorse), then withdrawn."""
    return (
        Nomination.objects.for_project(project)
        .for_country(country)
        .annotate(
            status_order=Case(
                When(status=NominationStatus.SUBMITTED, then=Value(0)),
                When(status__in=[NominationStatus.WITH_NPO, NominationStatus.DRAFT], then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("status_order", F("priority").asc(nulls_last=True), "created_at", "pk")
    )


def filter_by_state(queryset, state, project):
    """Nominations in `state` (a NominationState), as an NPO would see it for `project`."""
    published = project.selection_published_at is not None
    if state in (NominationState.DRAFT, NominationState.WITH_NPO, NominationState.WITHDRAWN):
        return queryset.filter(status=state)
    if state == NominationState.SUBMITTED:
        return queryset.filter(status=NominationStatus.SUBMITTED) if not published else queryset.none()
    if not published:
        return queryset.none()
    submitted = queryset.filter(status=NominationStatus.SUBMITTED)
    if state == NominationState.SELECTED:
        return submitted.filter(decision=Decision.SELECTED)
    if state == NominationState.RESERVE:
        return submitted.filter(decision=Decision.RESERVE)
    if state == NominationState.NOT_SELECTED:
        return submitted.exclude(decision__in=[Decision.SELECTED, Decision.RESERVE])
    return queryset


SEARCHED_FIELDS = ["certificate_name", "native_name", "email", "organization"]


def project_nominations(project, *, country=None, state="", category="", gender="", q=""):
    """All nominations of a project for the Secretariat, filtered and searched (name, e-mail,
    organization), by country then priority."""
    qs = listing.search(
        Nomination.objects.for_project(project).select_related("project", "country"), q, SEARCHED_FIELDS
    )
    if country is not None:
        qs = qs.for_country(country)
    if state:
        qs = filter_by_state(qs, state, project)
    if category:
        qs = qs.filter(category=category)
    if gender:
        qs = qs.filter(gender=gender)
    return qs.order_by("country__name", F("priority").asc(nulls_last=True), "created_at", "pk")


def nomination_counts(queryset):
    """{'countries': [(name, total, submitted)], 'categories': {category: (total, submitted)}} in two queries."""
    per_country = (
        queryset.order_by()
        .values("country__name")
        .annotate(total=Count("pk"), submitted=Count("pk", filter=Q(status=NominationStatus.SUBMITTED)))
        .order_by("country__name")
    )
    per_category = (
        queryset.order_by()
        .values("category")
        .annotate(total=Count("pk"), submitted=Count("pk", filter=Q(status=NominationStatus.SUBMITTED)))
        .order_by("category")
    )
    return {
        "countries": [(r["country__name"], r["total"], r["submitted"]) for r in per_country],
        "categories": [(r["category"], r["total"], r["submitted"]) for r in per_category],
    }


def nomination_history(nomination):
    """The audit entries of a nomination, oldest first."""
    return AuditEntry.objects.for_object(nomination).select_related("actor").order_by("created_at", "pk")
