"""The type of an APO project, read from its code."""

# The kind of project, as the code's type segment says it ("14-IN-69-GE-WSP-B": WSP).
PROJECT_TYPES = {
    "WSP": "Workshop",
    "SMN": "Seminar",
    "TRC": "Training course",
    "CON": "Conference",
    "OSM": "Observational study mission",
    "RES": "Research",
    "SPW": "Planning workshop",
    "DLN": "Digital learning",
    "ELC": "e-Learning course",
    "FSP": "Fellowship",
    "TES": "Technical expert services",
    "DON": "Demonstration project",
    "MTG": "Meeting",
    "FOR": "Forum",
}


def project_type_code(code):
    """The type segment of an APO project code, or "".

    Codes read "YY-XX-NN-GE-TYP-L" (22-CP-45-GE-DLN-B, 14-IN-69-GE-WSP-B, 20-RP-02-GE-SPW-A): the
    type is the segment before the last when the last is a one-letter suffix, else the last
    three-letter segment that names a known type, else the segment before the last.
    """
    parts = [p.strip().upper() for p in (code or "").split("-") if p.strip()]
    if len(parts) >= 2 and len(parts[-1]) == 1 and parts[-2].isalpha() and len(parts[-2]) == 3:
        return parts[-2]
    known = [p for p in parts if p in PROJECT_TYPES]
    return known[-1] if known else ""
