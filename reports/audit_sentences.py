"""The reports' audit entries as sentences (apopms.auditlog); registered by ReportsConfig.ready."""

from apopms.auditlog import register, when


def _names(v):
    return when(v["include_participants"] in (True, "True"), ", with the participant list")


register(
    {
        "reports.report.requested": (
            "Report requested",
            lambda v: f"{v['actor']} asked for version {v['number']} of the report of {v['project']}{_names(v)}",
        ),
        "reports.report.generated": (
            "Report generated",
            "{actor} generated version {number} of the report of {project}",
        ),
        "reports.report.downloaded": (
            "Report downloaded",
            lambda v: (
                f"{v['actor']} downloaded the {str(v['format']).upper()} of version {v['number']} "
                f"of the report of {v['project']}{_names(v)}"
            ),
        ),
    }
)
