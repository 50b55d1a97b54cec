"""Demo attendance of the seed workshop (22-PSP-DMC), recorded through the services.

Every day is imported from a generated report in Zoom's own format (metadata block, rejoins,
two devices, joins before the start, names without e-mail, guests and speakers); one unmatched
device is mapped to its participant and the guests are ignored, as a person would in the
preview. Most participants attend everything; some miss a day, some fall a few minutes below
the threshold; one hand-made correction (with its reason) sits on top of the last report.
Idempotent: a project that already has attendance is left alone.
"""

import datetime
import json
from pathlib import Path

from apopms.demo import SEED_CODE
from apopms.models import Project, User
from nominations.models import Participant

from .. import selectors, services, zoom
from ..models import Attendance, Session

GUESTS_FILE = Path(__file__).resolve().parent / "data" / "report_guests.json"


def _connections(index, participant, session_number, start, end):
    """The report rows of one participant on one day (naive local times), or [] if they missed it."""
    if session_number == 2 and index % 10 == 3:
        return []  # missed day 2
    if session_number == 3 and index % 17 == 5:
        return []  # missed day 3
    email = participant.user.email
    name = participant.certificate_name
    if index % 5 == 2:
        name, email = f"Laptop ({participant.certificate_name})", ""  # matched by the name in brackets
    minute = datetime.timedelta(minutes=1)
    join = start - (5 if index % 3 == 0 else 0) * minute  # some join before the start
    leave = end + (4 if index % 4 == 1 else 0) * minute  # some stay after the end
    if session_number == 1 and index % 10 == 7:
        leave = start + 140 * minute  # 140 of 180 min: four minutes below the 144 needed
    rows = []
    if index % 4 == 0:  # drops out and rejoins
        drop = start + (60 + index % 30) * minute
        rows += [(name, email, join, drop), (name, email, drop + 6 * minute, leave)]
    else:
        rows.append((name, email, join, leave))
    if index % 6 == 1:  # a second device, overlapping: counted once
        phone = f"{participant.certificate_name.split()[0]}'s phone"
        rows.append((phone, participant.user.email, start + 30 * minute, start + 50 * minute))
    return rows


def load_attendance(stdout, project=None):
    project = project or Project.objects.filter(code=SEED_CODE).first()
    if project is None:
        return
    sessions = list(Session.objects.filter(project=project).order_by("start_at"))
    participants = list(
        Participant.objects.active().filter(project=project).select_related("user", "country").order_by("pk")
    )
    if not sessions or not participants:
        stdout.write(f"Attendance of {project.code}: no sessions or participants yet, nothing recorded.")
        return
    if Attendance.objects.filter(session__project=project).exists():
        stdout.write(f"Attendance of {project.code}: already recorded.")
        return
    actor = User.objects.filter(email__iexact="admin@apo.demo").first()
    guests = json.loads(GUESTS_FILE.read_text(encoding="utf-8"))  # hosts, speakers, staff: not participants
    zone = project.zone
    mapped = participants[8 % len(participants)]
    device = f"iPhone {mapped.certificate_name.split()[0][:1]}."
    for number, session in enumerate(sessions, start=1):
        start = session.start_at.astimezone(zone).replace(tzinfo=None)
        end = session.end_at.astimezone(zone).replace(tzinfo=None)
        rows = []
        for index, participant in enumerate(participants):
            if participant.pk == mapped.pk:
                rows.append((device, "", start, end))  # a device name no rule can match
                continue
            rows += _connections(index, participant, number, start, end)
        for guest in guests:
            rows.append(
                (
                    guest["name"],
                    guest["email"],
                    start - datetime.timedelta(minutes=15),
                    end + datetime.timedelta(minutes=10),
                )
            )
        data = zoom.write_meeting_report(
            rows,
            meeting_id=f"845 2245 30{number:02d}",
            topic=f"{project.title}: {session.title}",
            start=start - datetime.timedelta(minutes=15),
            end=end + datetime.timedelta(minutes=10),
        )
        imp, _ = services.upload_attendance_report(
            session=session,
            data=data,
            file_name=f"participants_845224530{number:02d}.csv",
            time_zone=project.time_zone,
            actor=actor,
        )
        preview = selectors.build_preview(imp)
        decisions = {}
        for group in preview.unmatched:
            decisions[group.key] = mapped if group.label == device else None
        if decisions:
            services.map_report_rows(
                project=project,
                decisions=decisions,
                labels={g.key: g.label for g in preview.unmatched},
                actor=actor,
            )
        services.confirm_attendance_import(attendance_import=imp, actor=actor)
    # A hand-made correction on top of the last report: the host confirmed a phone dial-in.
    last = sessions[-1]
    absent = Attendance.objects.filter(session=last, present=False).select_related("participant").order_by("pk").first()
    if absent is not None:
        services.mark_attendance(
            participant=absent.participant,
            session=last,
            present=True,
            actor=actor,
            reason="Joined by telephone dial-in (not in the Zoom report); confirmed by the host.",
        )
    everyone = selectors.attendance_grid(project).attended_every_session
    stdout.write(
        f"Attendance of {project.code}: {len(sessions)} session(s) imported from Zoom reports; "
        f"{len(everyone)} of {len(participants)} participants attended every session."
    )
