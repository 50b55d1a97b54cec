"""Server time of the selection board with 1,000 submitted nominations, next to rendering the same
rows from plain dicts with no database work (the template's share of the time)."""

import datetime
import os
import statistics
import time

from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apopms.enums import Role
from apopms.models import MemberCountry, Membership, Project, User
from nominations.enums import Decision, Gender, NominationStatus, OrganizationType
from nominations.models import Nomination
from nominations.views import selection as selection_views

N_NOMINATIONS = 1000
RUNS = 10


def _setup():
    countries = list(MemberCountry.objects.order_by("name"))
    host = next(c for c in countries if c.iso2 == "LK")
    now = timezone.now()
    project = Project.objects.create(
        code="BENCH-SEL",
        title="Selection board benchmark",
        host_country=host,
        implementing_organizations="APO Secretariat",
        start_date=datetime.date(2030, 3, 1),
        end_date=datetime.date(2030, 3, 3),
        time_zone="Asia/Colombo",
        nomination_deadline=now - datetime.timedelta(days=1),
        overseas_quota=38,
        local_quota=12,
        notification_issued_at=now - datetime.timedelta(days=60),
    )
    project.participating_countries.set(countries)
    admin = User.objects.create_user("bench.admin@apo.example", "bench-password", full_name="Bench Admin")
    Membership.objects.create(user=admin, role=Role.SECRETARIAT)
    rows, priorities, taken = [], {}, {"overseas": 0, "local": 0}
    reserve_rank = {"overseas": 0, "local": 0}
    genders = [Gender.FEMALE, Gender.MALE]
    for i in range(N_NOMINATIONS):
        country = countries[i % len(countries)]
        category = "local" if country.pk == host.pk else "overseas"
        priorities[country.pk] = priorities.get(country.pk, 0) + 1
        decision, rank = "", None
        if priorities[country.pk] <= 2 and taken[category] < project.quota_for(category):
            decision = Decision.SELECTED
            taken[category] += 1
        elif priorities[country.pk] == 3:
            decision = Decision.RESERVE
            reserve_rank[category] += 1
            rank = reserve_rank[category]
        elif priorities[country.pk] == 4:
            decision = Decision.DECLINED
        rows.append(
            Nomination(
                project=project,
                country=country,
                category=category,
                status=NominationStatus.SUBMITTED,
                priority=priorities[country.pk],
                certificate_name=f"Nominee {i:04d} {country.name}",
                gender=genders[i % 2],
                email=f"nominee{i}@bench.example",
                organization=f"Ministry number {i % 37}",
                organization_type=OrganizationType.MINISTRY,
                position="Director",
                submitted_at=now - datetime.timedelta(days=30, minutes=i),
                decision=decision,
                decision_reason="Not in the target group" if decision == Decision.DECLINED else "",
                reserve_rank=rank,
                decided_at=now if decision else None,
                decided_by=admin if decision else None,
            )
        )
    Nomination.objects.bulk_create(rows, batch_size=500)
    return project, admin


def _plain(value):
    """A nomination as a plain dict holding what the template reads."""
    return {
        "pk": value.pk,
        "priority": value.priority,
        "certificate_name": value.certificate_name,
        "native_name": value.native_name,
        "get_category_display": value.get_category_display(),
        "get_gender_display": value.get_gender_display(),
        "organization": value.organization,
        "cv": bool(value.cv),
        "detail_url": value.detail_url,
        "file_url": value.file_url,
        "decide_url": value.decide_url,
        "decision": value.decision,
        "reserve_rank": value.reserve_rank,
        "decision_reason": value.decision_reason,
        "decided_at": value.decided_at,
        "decided_by": {"get_full_name": value.decided_by.get_full_name()} if value.decided_by else None,
        "country": {"name": value.country.name, "iso2": value.country.iso2},
    }


def _median_ms(fn):
    fn()
    fn()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1), round(min(times), 1)


def run():
    project, admin = _setup()
    client = Client()
    client.force_login(admin)
    url = reverse("nominations:selection_board", kwargs={"code": project.code})

    def server():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    connection.queries_log.clear()  # full of the setup's queries (a bounded deque)
    with CaptureQueriesContext(connection) as queries:
        server()
    server_median, server_min = _median_ms(server)

    # The same context, turned into plain data once: rendering it touches no database.
    context = selection_views._board_context(project)
    plain = dict(context)
    plain["groups"] = [
        {
            "country": {"name": g.country.name, "iso2": g.country.iso2},
            "selected": g.selected,
            "nominations": [_plain(n) for n in g.nominations],
        }
        for g in context["groups"]
    ]
    plain["reserves"] = [(c, [_plain(n) for n in items]) for c, items in context["reserves"]]
    plain["offers"] = []
    plain["csrf_token"] = "x" * 64
    plain["counters"]["per_country"] = [({"name": c.name}, count) for c, count in context["counters"]["per_country"]]
    plain["project"] = {
        "code": project.code,
        "title": project.title,
        "get_absolute_url": project.get_absolute_url(),
        "nomination_deadline": project.nomination_deadline,
        "zone": project.zone,
        "selection_published_at": None,
    }

    def render_only():
        with CaptureQueriesContext(connection) as render_queries:
            html = render_to_string(selection_views.BOARD, plain)
        assert not render_queries.captured_queries, render_queries.captured_queries
        assert html.count('class="decision-') == N_NOMINATIONS

    render_median, render_min = _median_ms(render_only)
    return {
        "load_average_1min": round(os.getloadavg()[0], 2),  # the machine is shared: read figures with it
        "nominations": N_NOMINATIONS,
        "runs": RUNS,
        "server_ms_median": server_median,
        "server_ms_min": server_min,
        "server_queries": len(queries.captured_queries),
        "render_plain_dicts_ms_median": render_median,
        "render_plain_dicts_ms_min": render_min,
        "database_and_python_overhead_ms": round(server_median - render_median, 1),
    }
