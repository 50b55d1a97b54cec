"""Export of the attendance grid (XLSX and CSV) through tablib, which django-import-export brings."""

import tablib

from nominations.resources import neutralise  # a name such as "=HYPERLINK(...)" must not run as a formula


def grid_dataset(grid):
    """One row per participant: for each session "present"/"absent"/"" and its minutes, then totals."""
    headers = ["Participant", "Country", "Category", "E-mail"]
    for session in grid.sessions:
        headers += [neutralise(f"{session.title}: attendance"), neutralise(f"{session.title}: minutes")]
    headers += ["Sessions present", "Minutes in all", "Attended every session"]
    data = tablib.Dataset(headers=headers, title="Attendance")
    for row in grid.rows:
        p = row.participant
        line = [neutralise(p.certificate_name), p.country.name, p.get_category_display(), neutralise(p.user.email)]
        for cell in row.cells:
            state = "" if not cell.recorded else ("present" if cell.present else "absent")
            if cell.by_hand and cell.recorded:
                state += " (by hand)"
            line += [state, cell.minutes if cell.recorded else ""]
        line += [row.present_count, row.minutes_total, "yes" if row.attended_every_session else "no"]
        data.append(line)
    totals = ["Total present", "", "", ""]
    for total in grid.totals:
        totals += [total.present, total.minutes]
    totals += ["", "", len(grid.attended_every_session)]
    data.append(totals)
    return data
