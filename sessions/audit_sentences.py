"""The programme's and attendance's audit entries as sentences (apopms.auditlog); registered by AgendaConfig.ready."""

from apopms.auditlog import register, when


def _marked(v):
    state = "present" if v["raw"].get("present") else "absent"
    return f"{v['actor']} marked {v['participant']} {state} at “{v['session']}”" + when(
        v["reason"], f" ({v['reason']})"
    )


def _announced(v):
    text = f"{v['actor']} announced the programme of {v['project']}"
    text += when(v["with_participants"], " with the participants")
    return text + when(v["late"], ", later than two weeks before the start")


def _marked_in_bulk(v):
    cells = len(v["raw"].get("cells") or [])
    way = v["raw"].get("way")
    if way == "participant_present":
        text = f"{v['actor']} marked {v['participant']} present at every session of {v['project']}"
    elif way == "absentees":
        text = f"{v['actor']} marked {v['absent'] or 'nobody'} absent and everyone else present at “{v['session']}”"
    else:
        text = f"{v['actor']} marked everyone present at “{v['session']}”"
    text += f" ({cells} mark{'s' if cells != 1 else ''} changed"
    return text + when(v["raw"].get("kept_from_report"), f", {v['kept_from_report']} kept from the report") + ")"


register(
    {
        "agenda.attendance.marked_in_bulk": ("Attendance marked for a room", _marked_in_bulk),
        "agenda.attendance.exported": (
            "Attendance exported",
            lambda v: (
                f"{v['actor']} exported the attendance of {v['rows'] or 0} participants of {v['project']}"
                + when(v["country"], f" from {v['country']}")
                + f" as {str(v['format']).upper()}"
            ),
        ),
        "agenda.session.created": ("Session added", "{actor} added the session “{title}”"),
        "agenda.session.updated": ("Session changed", "{actor} changed {fields} of the session “{name}”"),
        "agenda.session.deleted": ("Session deleted", "{actor} deleted the session “{title}”"),
        "agenda.agenda_item.created": ("Agenda item added", "{actor} added “{title}” to the agenda"),
        "agenda.agenda_item.updated": (
            "Agenda item changed",
            lambda v: f"{v['actor']} changed {v['fields']} of the agenda item “{v['name'].split('. ', 1)[-1]}”",
        ),
        "agenda.agenda_item.deleted": ("Agenda item deleted", "{actor} removed “{title}” from the agenda"),
        "agenda.agenda_item.moved": (
            "Agenda item moved",
            lambda v: f"{v['actor']} moved the agenda item “{v['name'].split('. ', 1)[-1]}” {v['direction']}",
        ),
        "agenda.programme.copied": (
            "Programme copied",
            "{actor} copied the programme of {source} into {project} ({sessions} sessions)",
        ),
        "agenda.programme.announced": ("Programme announced", _announced),
        "agenda.programme.updated": (
            "Programme updated",
            "{actor} published version {number} of the programme of {project}",
        ),
        "agenda.resource_person.created": ("Resource person added", "{actor} added the resource person {name}"),
        "agenda.resource_person.updated": (
            "Resource person changed",
            "{actor} changed {fields} of the resource person {name}",
        ),
        "agenda.resource_person.deleted": ("Resource person removed", "{actor} removed the resource person {name}"),
        "agenda.attendance.marked": ("Attendance marked by hand", _marked),
        "agenda.attendance.recomputed": (
            "Attendance recomputed",
            "{actor} recomputed the attendance of “{session}”: {changed} record(s) changed",
        ),
        "agenda.attendance_import.uploaded": (
            "Attendance report uploaded",
            "{actor} uploaded the attendance report {file_name} ({rows} rows)",
        ),
        "agenda.attendance_import.confirmed": (
            "Attendance report confirmed",
            "{actor} confirmed the attendance report of “{session}”",
        ),
        "agenda.attendance_import.discarded": (
            "Attendance report discarded",
            "{actor} discarded the attendance report {name}",
        ),
        "agenda.report_mapping.set": (
            "Report name matched",
            lambda v: (
                f"{v['actor']} matched “{v['key']}” in the attendance reports to "
                + (v["participant"] or "nobody (ignored)")
            ),
        ),
        "agenda.report_mapping.rest_ignored": (
            "Report names ignored",
            "{actor} ignored {count} unmatched names of the attendance report",
        ),
    }
)
