"""The rules a project obeys before it is saved, each stated once: validate_project names every
wrong field; closing_date_problem is the one rule of the closing date."""

import zoneinfo

from django.utils import timezone

from ..enums import CapScope, Category
from ..exceptions import DomainError
from ..models import MemberCountry, Project, end_date_problem, long_date


def seats_taken(project):
    """Seats taken per category ({"overseas": n, "local": n}) and the most any one country holds
    against the per-country cap (its selected overseas participants, as selection counts them).

    Counted by the nominations' own queryset (`holding_seats`, `cap_seats_by_country`) through
    the reverse relation `project.nominations`, so the core imports nothing above it and the
    project edit and selection cannot count differently.
    """
    if project.pk is None:
        return {}, 0
    by_category = project.nominations.seats_by_category()
    by_country = project.nominations.cap_seats_by_country(project)
    return by_category, max(by_country.values(), default=0)


def closing_date_problem(closing_date, *, project, previous_closing_date=None, now=None):
    """What is wrong with `closing_date` for `project`, or None: the one rule of the closing date,
    used by the project form (create and edit) and by "Extend the deadline".

    - It is before the project's start date.
    - A closing date that changes (from `previous_closing_date`) may not have passed: its deadline,
      the end of the day in the project's zone, lies after `now`. Moving it into the past would
      close nominations at once. A project recorded after the fact, or edited while its past
      closing date stays as it is, passes (create gives no previous date).
    """
    if project.start_date and closing_date >= project.start_date:
        return (
            f"The closing date ({long_date(closing_date)}) must be before the start date "
            f"({long_date(project.start_date)})."
        )
    if previous_closing_date is not None and closing_date != previous_closing_date:
        now = now or timezone.now()
        if Project.deadline_for(closing_date, project.time_zone) <= now:
            today = timezone.localdate(now, project.zone)
            return (
                f"The closing date ({long_date(closing_date)}) has passed in the project's time zone: "
                f"choose today ({long_date(today)}) or a later day."
            )
    return None


def validate_project(project, countries, *, closing_date=None, previous_closing_date=None):
    """Check a project before it is saved; raise one DomainError naming every wrong field."""
    errors = {}
    if not (project.code or "").strip():
        errors["code"] = "Enter the APO project code."
    elif Project.objects.filter(code=project.code).exclude(pk=project.pk).exists():
        errors["code"] = f"Another project already has the code {project.code}."
    if not (project.title or "").strip():
        errors["title"] = "Enter the title."
    if problem := end_date_problem(project.start_date, project.end_date):
        errors["end_date"] = problem
    zone_ok = True
    try:
        zoneinfo.ZoneInfo(project.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        errors["time_zone"] = f"“{project.time_zone}” is not a known time zone."
        zone_ok = False
    closing = closing_date or (project.closing_date if zone_ok and project.nomination_deadline else None)
    if closing is None:
        if zone_ok:
            errors["closing_date"] = "Enter the closing date for nominations."
    else:
        # Without a known zone, the end of the closing day is unknown: only its order is checked.
        previous = previous_closing_date if zone_ok else None
        problem = closing_date_problem(closing, project=project, previous_closing_date=previous)
        if problem:
            errors["closing_date"] = problem
    # The invited countries are the notification's list; the host is apart from it and nominates
    # when the quotas give it seats (Project.host_has_seats).
    if not countries and not project.host_has_seats:
        errors["participating_countries"] = "Choose at least one participating country."
    if project.pk is not None:
        live = project.nominations.exclude(status="withdrawn")
        nominating = set(live.order_by().values_list("country", flat=True).distinct())
        allowed = {c.pk for c in countries} | ({project.host_country_id} if project.host_has_seats else set())
        dropped = nominating - allowed
        if dropped and "participating_countries" not in errors:
            names = ", ".join(sorted(MemberCountry.objects.filter(pk__in=dropped).values_list("name", flat=True)))
            errors["participating_countries"] = f"{names} already nominated people; keep them participating."
        old_host = Project.objects.filter(pk=project.pk).values_list("host_country", flat=True).first()
        if old_host is not None and old_host != project.host_country_id and nominating:
            errors["host_country"] = (
                "Nominations exist, and the host decides who is local: the host cannot change any more."
            )
        old_shape = Project.objects.filter(pk=project.pk).values_list("quota_shape", flat=True).first()
        if old_shape is not None and old_shape != project.quota_shape and live.exists():
            errors["quota_shape"] = (
                "Nominations exist, and the shape of the quotas decides their categories: it cannot change any more."
            )
    if project.per_country_cap is not None and project.per_country_cap < 1:
        errors["per_country_cap"] = "The per-country cap must be at least 1, or empty for no cap."
    share = project.min_attendance_share
    if share is not None and not (0 < float(share) <= 1):
        errors["min_attendance_share"] = "The minimum attendance share lies between 0 and 1 (e.g. 0.80)."
    taken, most_from_one = seats_taken(project)
    fields = {Category.OVERSEAS: "overseas_quota", Category.LOCAL: "local_quota", Category.ALL: "total_quota"}
    if project.has_total_quota and not project.total_quota:
        errors["total_quota"] = "Enter the number of participants from all countries."
    for category in project.categories:
        quota, field = project.quota_for(category), fields[category]
        if quota < taken.get(category, 0):
            who = "" if category == Category.ALL else f"{project.category_label(category)} "
            errors[field] = (
                f"{taken[category]} {who}participant{'s are' if taken[category] != 1 else ' is'} "
                "already selected; the quota cannot be lower."
            )
    if project.per_country_cap and most_from_one > project.per_country_cap:
        who = "participants" if project.cap_scope == CapScope.EVERYONE else "overseas participants"
        errors["per_country_cap"] = (
            f"{most_from_one} {who} of one country are already selected; the cap cannot be lower."
        )
    if errors:
        raise DomainError("Please correct: " + "; ".join(errors.values()), errors=errors)
