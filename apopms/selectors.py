from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat

from . import compiled
from .enums import OutboxStatus, Role
from .models import AuditEntry, Invitation, MemberCountry, Membership, OutboxMessage, Project, ProjectRevision, User
from .models.projects import hosted_with_seats_q

# --- "Was it sent?": the outbox is the one source of truth ----------------------------------------


def outbox_key(prefix, suffix=""):
    """An expression: the outbox key `<prefix><outer row's pk><suffix>` (e.g. "certificate-ready:12")."""
    return Concat(Value(prefix), Cast(OuterRef("pk"), CharField()), Value(suffix))


def first_sent(**filters):
    """A subquery for annotations: when the first outbox row matching `filters` (expressions on the
    outer row, e.g. `invitation=OuterRef("pk")` or `key=outbox_key("certificate-ready:")`) was sent;
    None while none was. One correlated subquery: list pages keep their query counts."""
    rows = OutboxMessage.objects.filter(status=OutboxStatus.SENT, **filters).order_by("sent_at")
    return Subquery(rows.values("sent_at")[:1])


def invitations_with_sent_at(queryset=None):
    """Invitations with `sent_at`: when their e-mail went out (their outbox row's), or None."""
    queryset = Invitation.objects.all() if queryset is None else queryset
    return queryset.annotate(sent_at=first_sent(invitation=OuterRef("pk")))


_PROJECT_FIELDS = compiled.columns(Project)
_COUNTRY_FIELDS = compiled.columns(MemberCountry)


def _host_columns():
    """The host country's columns, under names of their own, to follow a project's."""
    return {f"_host_{name}": F(f"host_country__{name}") for name in _COUNTRY_FIELDS}


def _project_with_host(row, flag):
    """(the project, the rest of the row) of a row laid out as the project's columns, one more
    column set on the project as `flag`, then the host country's (`_host_columns`)."""
    n = len(_PROJECT_FIELDS)
    m = n + 1 + len(_COUNTRY_FIELDS)
    project = Project.from_db("default", _PROJECT_FIELDS, row[:n])
    setattr(project, flag, row[n])
    project._state.fields_cache["host_country"] = MemberCountry.from_db("default", _COUNTRY_FIELDS, row[n + 1 : m])
    return project, row[m:]


class PublicProjectQuery(compiled.CompiledQuery):
    """The query of `public_project`, with `extra` annotations after its columns: a higher app adds
    what its own public page is keyed by (e.g. the latest programme version), set on the project
    under the same names."""

    def __init__(self, **extra):
        self.extra = tuple(extra)
        super().__init__(lambda: self._queryset(extra))

    @staticmethod
    def _queryset(extra):
        last = ProjectRevision.objects.filter(project=OuterRef("pk")).order_by("-number").values("number")[:1]
        host = _host_columns()
        extra = {f"_{name}": value for name, value in extra.items()}  # under names of their own
        return (
            Project.objects.published()
            .annotate(last_revision=Coalesce(Subquery(last, output_field=IntegerField()), 0), **host, **extra)
            .filter(code=compiled.parameter("code"))
            .values_list(*_PROJECT_FIELDS, "last_revision", *host, *extra)
        )


_PUBLIC_PROJECT = PublicProjectQuery()


def public_project(code, query=_PUBLIC_PROJECT):
    """A published project and the number of its latest notification revision (`last_revision`, 0
    for none), with its host country, in one query compiled once per process: what the public
    pages' kept fragments are keyed by. The countries and revisions are read only when a fragment
    is rendered (a cache miss). `query`: a `PublicProjectQuery`, whose extra columns are set on the
    project too."""
    rows = query.rows(code=code)
    if not rows:
        raise Project.DoesNotExist("No published project with this code.")
    project, extra = _project_with_host(rows[0], "last_revision")
    for name, value in zip(query.extra, extra, strict=True):
        setattr(project, name, value)
    return project


def _project_for_person_queryset():
    # Whether the notification invites a country the person is an NPO officer of.
    own_countries = Membership.objects.filter(
        user=compiled.parameter("person", number=True), active=True, role=Role.NPO_OFFICER
    ).values("country")
    invited = Project.participating_countries.through.objects.filter(
        project=OuterRef("pk"), membercountry__in=own_countries
    )
    host = _host_columns()
    return (
        Project.objects.annotate(invites_own_country=Exists(invited), **host)
        .filter(code=compiled.parameter("code"))
        .values_list(*_PROJECT_FIELDS, "invites_own_country", *host)
    )


# Every page of a project that NPO officers and implementers open: compiled once per process.
_PROJECT_FOR_PERSON = compiled.CompiledQuery(_project_for_person_queryset)


def project_for_person(code, user):
    """The project `code`, with its host country and `invites_own_country` (whether its notification
    invites a country `user` is an NPO officer of), in one query compiled once per process; whether
    `user` may see it is `permissions.can_see_project`'s to say."""
    rows = _PROJECT_FOR_PERSON.rows(code=code, person=user.pk)
    if not rows:
        raise Project.DoesNotExist("No project with this code.")
    return _project_with_host(rows[0], "invites_own_country")[0]


def audit_entries_for_project(project, *, actor=None, action="", since=None, until=None):
    """The project's audit trail, newest first, filtered: by who acted, the kind of entry, and a
    half-open interval of instants [since, until)."""
    entries = AuditEntry.objects.filter(project=project)
    if actor is not None:
        entries = entries.filter(actor=actor)
    if action:
        entries = entries.filter(action=action)
    if since is not None:
        entries = entries.filter(created_at__gte=since)
    if until is not None:
        entries = entries.filter(created_at__lt=until)
    return entries.select_related("actor", "project").order_by("-created_at", "-pk")


def audit_actors(project):
    """The people who appear in the project's audit trail, by name."""
    return User.objects.filter(
        pk__in=AuditEntry.objects.filter(project=project, actor__isnull=False).values("actor")
    ).order_by("full_name", "email")


def _related_count(related_name, **filters):
    """A correlated COUNT over a reverse relation of Project, without importing the higher app's model.

    A subquery rather than Count() over joins: several counts over joins multiply each other's rows.
    """
    model = Project._meta.get_field(related_name).related_model
    rows = (
        model.objects.filter(project=OuterRef("pk"), **filters)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def projects_for(user):
    """The projects a person works on, with counts, newest first; a constant number of queries.

    Secretariat: all, with submitted nominations and active participants of every country.
    NPO officer: projects their country participates in (once the notification is issued),
    with their own country's nominations (drafts included) and participants.
    Implementer: the projects they implement, with the local nominations and participants.
    """
    qs = Project.objects.select_related("host_country").annotate(
        country_count=Subquery(
            Project.participating_countries.through.objects.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        )
    )
    if user.is_secretariat:
        return qs.annotate(
            nomination_count=_related_count("nominations", status="submitted"),
            participant_count=_related_count("participants", status="active"),
        ).order_by("-start_date", "code")
    country = user.npo_country
    implemented = user.implementer_project_ids()
    if country is not None:
        qs = qs.filter(
            Q(pk__in=implemented)
            | (
                (Q(participating_countries=country) | hosted_with_seats_q(country))
                & Q(notification_issued_at__isnull=False)
            )
        ).distinct()
        return qs.annotate(
            nomination_count=_related_count(
                "nominations", country=country, status__in=["draft", "with_npo", "submitted"]
            ),
            participant_count=_related_count("participants", country=country, status="active"),
        ).order_by("-start_date", "code")
    # An implementer sees the local nominations and participants only (the host's own people).
    return (
        qs.filter(pk__in=implemented)
        .annotate(
            nomination_count=_related_count("nominations", status="submitted", country=OuterRef("host_country")),
            participant_count=_related_count("participants", status="active", country=OuterRef("host_country")),
        )
        .order_by("-start_date", "code")
    )


def memberships_with_invitations(**filters):
    """Memberships (NPO officers, implementers) with their person and latest invitations."""
    return (
        Membership.objects.filter(**filters)
        .select_related("user", "country", "project", "invited_by")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.select_related("invited_by").order_by("-created_at"),
                to_attr="invitation_list",
            )
        )
    )


def npo_officers(country=None):
    qs = memberships_with_invitations(role=Role.NPO_OFFICER)
    if country is not None:
        qs = qs.filter(country=country)
    return qs.order_by("country__name", "-active", "user__full_name", "user__email")


def implementers(project):
    return memberships_with_invitations(role=Role.IMPLEMENTER, project=project).order_by(
        "-active", "user__full_name", "user__email"
    )


def outbox_messages(*, project=None, cause="", status="", recipient=""):
    """The outbox, newest first, filtered; failed messages are the ones to act on."""
    messages = OutboxMessage.objects.select_related("project").defer("body_text", "body_html")
    if project is not None:
        messages = messages.for_project(project)
    if cause:
        messages = messages.filter(cause=cause)
    if status:
        messages = messages.filter(status=status)
    if recipient:
        messages = messages.filter(recipient__icontains=recipient.strip())
    return messages.order_by("-created_at", "-pk")


def failed_count(project):
    """How many of the project's e-mails failed for good (shown on the project's hub)."""
    return OutboxMessage.objects.for_project(project).filter(status=OutboxStatus.FAILED).count()
