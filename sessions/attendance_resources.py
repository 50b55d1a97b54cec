"""Export of the attendance grid (XLSX and CSV) through tablib, which django-import-export brings."""

import tablib


def grid_dataset(grid):
    """One row per participant: for each session "present"/"absent"/"" and its minutes, then totals."""
    headers = ["Participant", "Country", "Category", "E-mail"]
    for session in grid.sessions:
        headers += [f"{session.title}: attendance", f"{session.title}: minutes"]
    headers += ["Sessions present", "Minutes in all", "Attended every session"]
    data = tablib.Dataset(headers=headers, title="Attendance")
    for row in grid.rows:
        p = row.participant
        line = [p.certificate_name, p.country.name, p.get_category_display(), p.user.email]
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
