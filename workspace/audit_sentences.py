"""The retention purge's audit entries as sentences (apopms.auditlog); registered by WorkspaceConfig.ready."""

from apopms.auditlog import register


def _exported(v):
    fmt = f" as {str(v['format']).upper()}" if v.get("format") else ""
    return f"{v['actor']} exported the personal data held about {v['email']} ({v['scope']}){fmt}"


register(
    {
        "workspace.person.data_exported": (
            "Personal data exported",
            _exported,
        ),
        "workspace.person.erased": (
            "Person erased",
            "{actor} erased, on request, the personal data of {person}: {nominations} nomination(s), "
            "{accounts} account(s), {files} file(s); {certificates_revoked} certificate(s) revoked",
        ),
        "workspace.retention.cvs_purged": (
            "CVs deleted",
            "{actor} deleted {files} CV file(s) of {project} (retention)",
        ),
        "workspace.retention.nominees_purged": (
            "Nominees' data erased",
            "{actor} erased the personal data of {nominees} nominee(s) not selected for {project}, deleted "
            "{files} file(s) and {import_files} import file(s), and pseudonymised {audit_entries} audit entries "
            "(retention)",
        ),
        "workspace.retention.participants_purged": (
            "Participants' data erased",
            "{actor} erased the personal data of {participants} participant(s) of {project} and the minutes of "
            "{attendance_rows} attendance record(s), and pseudonymised {audit_entries} audit entries (retention)",
        ),
    }
)
