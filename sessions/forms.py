"""Forms of the programme editor. Times are typed in the project's zone, as the host plans them."""

import datetime
import functools
import time

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.choices import normalize_choices
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from apopms.exceptions import DomainError
from apopms.models import MemberCountry
from apopms.names import clean_person_name
from apopms.timezones import zone_choices, zone_label

from .enums import AgendaItemKind
from .models import ResourcePerson, Session, check_ends_after_start
from .services.speakers import country_choices


def _aware(day, time, zone):
    return datetime.datetime.combine(day, time, tzinfo=zone)


def _set_times(form, data, day, zone):
    """`start_at` and `end_at` from the day and the times typed in `zone`, checked by the one rule
    "the end is after the start" (`models.check_ends_after_start`)."""
    data["start_at"] = _aware(day, data["start_time"], zone)
    data["end_at"] = _aware(day, data["end_time"], zone)
    try:
        check_ends_after_start(data["start_at"], data["end_at"])
    except DomainError as error:
        form.add_error("end_time", error.message)


class SessionForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="E.g. Day 1: Performance management systems.")
    day = forms.TypedChoiceField(coerce=datetime.date.fromisoformat)
    start_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    join_url = forms.URLField(
        label="Link to join", required=False, assume_scheme="https", help_text="Shown to participants only."
    )
    room = forms.CharField(
        label="Room", required=False, max_length=200, help_text="Where the session takes place (e.g. Hall B)."
    )

    def __init__(self, *args, project, session=None, **kwargs):
        self.project = project
        if session is not None:
            start = session.start_at.astimezone(project.zone)
            kwargs.setdefault(
                "initial",
                {
                    "title": session.title,
                    "day": start.date().isoformat(),
                    "start_time": start.time(),
                    "end_time": session.end_at.astimezone(project.zone).time(),
                    "join_url": session.join_url,
                    "room": session.room,
                },
            )
        super().__init__(*args, **kwargs)
        days = [project.start_date + datetime.timedelta(days=n) for n in range(project.days)]
        self.fields["day"].choices = [
            (d.isoformat(), f"Day {n + 1}: {date_format(d, 'l j F Y')}") for n, d in enumerate(days)
        ]
        # The modality decides: a link to join (digital, hybrid), a room (in person, hybrid).
        if not project.has_links:
            del self.fields["join_url"]
        if not project.has_rooms:
            del self.fields["room"]
        label = zone_label(project.zone, _aware(project.start_date, datetime.time(12), project.zone))
        self.fields["start_time"].label = f"Starts at ({label})"
        self.fields["end_time"].label = f"Ends at ({label})"

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            _set_times(self, data, day, self.project.zone)
        return data

    def service_kwargs(self):
        d = self.cleaned_data
        out = {"title": d["title"], "start_at": d["start_at"], "end_at": d["end_at"]}
        out.update({f: d[f] for f in ("join_url", "room") if f in self.fields})
        return out


class AgendaItemForm(forms.Form):
    kind = forms.ChoiceField(choices=AgendaItemKind.choices)
    title = forms.CharField(max_length=250)
    start_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    topics = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="One per line.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    speakers = forms.ModelMultipleChoiceField(
        queryset=ResourcePerson.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, session, item=None, **kwargs):
        self.session = session
        self.zone = session.project.zone
        if item is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": item.kind,
                    "title": item.title,
                    "start_time": item.start_at.astimezone(self.zone).time(),
                    "end_time": item.end_at.astimezone(self.zone).time(),
                    "topics": item.topics,
                    "description": item.description,
                    "speakers": list(item.speakers.all()),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["speakers"].queryset = ResourcePerson.objects.filter(project_id=session.project_id).order_by("name")
        # A site visit is on-site or virtual, as chosen per item; an in-person project offers the
        # virtual kind only to an item that already has it.
        if session.project.is_in_person and self.initial.get("kind") != AgendaItemKind.VIRTUAL_SITE_VISIT:
            self.fields["kind"].choices = [
                c for c in AgendaItemKind.choices if c[0] != AgendaItemKind.VIRTUAL_SITE_VISIT
            ]
        label = zone_label(self.zone, session.start_at)
        self.fields["start_time"].label = f"Starts at ({label})"
        self.fields["end_time"].label = f"Ends at ({label})"

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end:
            _set_times(self, data, self.session.start_at.astimezone(self.zone).date(), self.zone)
        return data

    def service_kwargs(self):
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "title": d["title"],
            "start_at": d["start_at"],
            "end_at": d["end_at"],
            "topics": d["topics"],
            "description": d["description"],
            "speakers": list(d["speakers"]),
        }


class ResourcePersonForm(forms.ModelForm):
    country = forms.ChoiceField(label="Country", required=False, help_text="A member country, or “Other”.")

    class Meta:
        model = ResourcePerson
        fields = ["name", "title", "organization", "country", "email", "category", "biography", "local_honorarium"]
        widgets = {"biography": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = country_choices()
        kept = self.instance.country if self.instance.pk and self.instance.country not in names else None
        self.fields["country"].choices = [("", "---------"), *((n, n) for n in names)] + (
            [(kept, f"{kept} (as recorded before)")] if kept else []
        )

    def validate_constraints(self):
        # The services check these rules (under a lock) and say so in words.
        pass

    def clean_name(self):
        return clean_person_name(self.cleaned_data["name"])

    def service_kwargs(self):
        return {f: self.cleaned_data[f] for f in self.Meta.fields}


class AnnounceForm(forms.Form):
    change_note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    without_participants = forms.BooleanField(
        label="Announce the programme alone (the selection is not published yet)", required=False
    )


class PublishUpdateForm(forms.Form):
    change_note = forms.CharField(
        label="What changed",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Sent by e-mail to the NPO officers and participants, and shown on the programme page.",
    )


@functools.lru_cache(maxsize=2)
def _all_zone_choices(hour):
    # Listing the zones reads the system's zone files (about 0.3 s); offsets change at most hourly.
    return zone_choices()


def _zone_select(now=None, *, every_zone=True, chosen=""):
    """(the choices, a key that changes whenever they do: the hour, the member countries' zones,
    which zones). Every zone, or the member countries' alone with `chosen` (a zone outside them)
    in a group of its own."""
    now = now or timezone.now()
    hour = now.strftime("%Y%m%d%H")
    countries = _member_zones()
    if every_zone or chosen in {tz for _, tz in countries} or chosen not in _all_zone_names(hour):
        chosen = ""
    key = (hour, countries, every_zone, chosen)
    found = _normalized.get(key)
    if found is None:
        members = [(tz, f"{name}: {zone_label(tz, now)}") for name, tz in countries]
        choices = [("", "— (the project's zone only)"), ("Member countries", members)]
        if every_zone:
            choices.append(("All zones", _all_zone_choices(hour)))
        elif chosen:
            choices.append(("Your choice", [(chosen, zone_label(chosen, now))]))
        if len(_normalized) >= 32:
            _normalized.clear()
        # Normalized once per key: the field's `choices` setter would normalize every one of the
        # few hundred options again on each request (a quarter of the programme page's time).
        found = _normalized[key] = normalize_choices(choices)
    return found, key


@functools.lru_cache(maxsize=2)
def _all_zone_names(hour):
    return {value for value, _ in _all_zone_choices(hour)}


# {(hour, member countries' zones, every zone or not, the zone chosen): the zone select's normalized
# choices}, in this process.
_normalized = {}

MEMBER_ZONES_SECONDS = 60
_member_zones_kept = {}  # {"zones": ((name, zone), ...), "until": monotonic instant}


def _member_zones():
    """The active member countries' (name, zone), by name, read at most once a minute per process:
    reference data the Secretariat seldom edits, asked for by every view of a programme. An edit
    shows in the select within MEMBER_ZONES_SECONDS."""
    now = time.time()
    if _member_zones_kept.get("until", 0) < now:
        zones = tuple(MemberCountry.objects.active().order_by("name").values_list("name", "time_zone"))
        _member_zones_kept.update(zones=zones, until=now + MEMBER_ZONES_SECONDS)
    return _member_zones_kept["zones"]


def forget_member_zones():
    _member_zones_kept.clear()


class ManyOptionsSelect(forms.Select):
    """A select of hundreds of plain options (every zone), written out directly: the same HTML as
    `forms.Select`, without a template render per option (most of a programme page's time).

    With a `memo_key` (naming its choices: the form sets it), the HTML is kept in the process per
    (key, value, attributes): every visitor of the programme gets the same few hundred options."""

    memo_key = None
    _memo = {}
    MEMO_SIZE = 256

    # Given already normalized (ZoneForm): Select's setter would walk the few hundred options again.
    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = value

    def render(self, name, value, attrs=None, renderer=None):
        if self.memo_key is None:
            return self._render(name, value, attrs)
        key = (self.memo_key, name, tuple(self.format_value(value)), tuple(sorted((attrs or {}).items())))
        html = self._memo.get(key)
        if html is None:
            if len(self._memo) >= self.MEMO_SIZE:
                self._memo.clear()
            html = self._memo[key] = self._render(name, value, attrs)
        return html

    def _render(self, name, value, attrs):
        chosen = {str(v) for v in self.format_value(value)}
        parts = [format_html('<select name="{}"{}>', name, flatatt(self.build_attrs(self.attrs, attrs)))]

        def option(option_value, label):
            selected = ""
            if str(option_value) in chosen:  # as forms.Select: only the first option of a value
                selected = " selected"
                chosen.discard(str(option_value))
            return f'<option value="{escape(option_value)}"{selected}>{escape(label)}</option>'

        for group, options in self.choices:
            if isinstance(options, list | tuple):
                parts.append(f'<optgroup label="{escape(group)}">')
                parts.extend(option(v, label) for v, label in options)
                parts.append("</optgroup>")
            else:
                parts.append(option(group, options))
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value and label is escaped above


class ZoneForm(forms.Form):
    """The zone to show the programme's times in as well. Shown, it offers the member countries'
    zones (and the one chosen), or every zone with `every_zone`: the few hundred options of all
    zones were three quarters of the programme page's weight (37 of 49 kB) for every visitor. Posted,
    it accepts any zone."""

    zone = forms.ChoiceField(
        label="Show times also in",
        choices=(),
        required=False,
        widget=ManyOptionsSelect(attrs={"class": "form-select"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, every_zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        every_zone = self.is_bound if every_zone is None else every_zone
        choices, key = _zone_select(every_zone=every_zone, chosen=self.initial.get("zone") or "")
        self.every_zone = every_zone
        field = self.fields["zone"]
        field._choices = field.widget.choices = choices  # already normalized (see _zone_select)
        field.widget.memo_key = key


# ---------------------------------------------------------------- attendance


class ShareForm(forms.Form):
    share = forms.DecimalField(
        label="Minimum attendance (% of each session)", min_value=1, max_value=100, decimal_places=0, max_digits=3
    )


class MarkForm(forms.Form):
    present = forms.TypedChoiceField(
        choices=[("1", "Present"), ("0", "Absent")], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason for the change", required=False, max_length=500, widget=forms.TextInput(attrs={"size": 30})
    )


class UploadForm(forms.Form):
    session = forms.ModelChoiceField(queryset=Session.objects.none(), empty_label=None)
    report = forms.FileField(
        label="Zoom participant report (CSV)",
        help_text="As Zoom exports it, or saved from Excel: CSV (comma, semicolon or tab) or a workbook (.xlsx).",
    )
    time_zone = forms.ChoiceField(
        label="The report's times are in",
        help_text="Zoom writes times in the host account's zone without saying which: confirm it.",
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(project=project).order_by("start_at")
        self.fields["session"].label_from_instance = lambda s: (
            f"{s.title} ({s.start_at.astimezone(project.zone):%d %b %Y %H:%M})"
        )
        self.fields["time_zone"].choices = zone_choices()
        self.fields["time_zone"].initial = project.time_zone


class ReportZoneForm(forms.Form):
    time_zone = forms.ChoiceField(label="The report's times are in")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()


class AbsenteesForm(forms.Form):
    """A session's absentees, pasted: everyone else is marked present."""

    session = forms.ModelChoiceField(queryset=Session.objects.none(), label="Session")
    absentees = forms.CharField(
        label="Absentees, one per line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The name as on the certificate, or the e-mail address. Everyone not listed is marked present; "
        "an empty list marks the whole session present.",
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(project=project).order_by("start_at", "pk")
