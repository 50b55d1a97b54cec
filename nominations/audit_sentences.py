"""The nominations' audit entries as sentences (apopms.auditlog); registered by NominationsConfig.ready."""

from apopms.auditlog import register, when

from .enums import Decision


def _decision(value):
    try:
        return Decision(value).label.lower()
    except ValueError:
        return str(value or "")


def _late(v):
    return when(v["late"], " after the deadline")


def _decided(v):
    text = f"{v['actor']} marked {v['name']} {_decision(v['raw'].get('decision'))}"
    if v["raw"].get("reserve_rank"):
        text += f", reserve {v['reserve_rank']}"
    if v["reason"]:
        text += f" ({v['reason']})"
    return text + when(v["previous"], f"; it was {_decision(v['raw'].get('previous'))}")


def _exported(v):
    raw = v["raw"]
    filters = ", ".join(
        f"{'search' if k == 'q' else k} {raw[k]}" for k in sorted(raw) if k not in {"format", "rows"} and raw[k]
    )
    return f"{v['actor']} exported {v['rows'] or 0} nominations of {v['project']} as {str(v['format']).upper()}" + (
        f" ({filters})" if filters else ""
    )


register(
    {
        "nominations.nomination.created": (
            "Nomination created",
            lambda v: f"{v['actor']} nominated {v['name']} ({v['country']}, {v['category']}) as a draft{_late(v)}",
        ),
        "nominations.nomination.updated": ("Nomination changed", "{actor} changed {fields} of {name}'s nomination"),
        "nominations.nomination.submitted": (
            "Nomination submitted",
            lambda v: f"{v['actor']} submitted {v['name']} with priority {v['priority']}{_late(v)}",
        ),
        "nominations.nomination.imported": (
            "Nomination imported",
            lambda v: (
                f"{v['actor']} imported {v['name']} ({v['country']}, {v['category']}), submitted with priority "
                f"{v['priority']}{_late(v)}"
            ),
        ),
        "nominations.nomination.withdrawn": (
            "Nomination withdrawn",
            lambda v: f"{v['actor']} withdrew the nomination of {v['name']}" + when(v["reason"], f" ({v['reason']})"),
        ),
        "nominations.nomination.reranked": (
            "Priority changed",
            "{actor} moved {name} from priority {old_priority} to {priority}",
        ),
        "nominations.nomination.candidate_invited": (
            "Candidate invited",
            "{actor} invited {name} ({email}) to fill in their own nomination",
        ),
        "nominations.nomination.candidate_saved": ("Biodata saved", "{actor} saved {fields} of their own biodata"),
        "nominations.nomination.handed_in": (
            "Sent to the NPO",
            lambda v: (
                f"{v['actor']} sent their biodata to the NPO"
                + when(v["raw"].get("previous_status") == "submitted", " again, after a change (its endorsement ended)")
            ),
        ),
        "nominations.nomination.change_requested": (
            "Change asked",
            "{actor} asked {name} for a change: {message}",
        ),
        "nominations.nomination.cv_downloaded": ("CV downloaded", "{actor} downloaded the CV of {name}"),
        "nominations.nomination.exported": ("Nominations exported", _exported),
        "nominations.participant.exported": (
            "Participants exported",
            lambda v: (
                f"{v['actor']} exported the {v['rows'] or 0} participants of {v['project']} as "
                f"{str(v['format']).upper()}"
            ),
        ),
        "nominations.nomination.decided": ("Selection decision", _decided),
        "nominations.nomination.decision_undone": (
            "Decision undone",
            lambda v: f"{v['actor']} undid the decision “{_decision(v['raw'].get('previous'))}” on {v['name']}",
        ),
        "nominations.nomination.reserve_moved": (
            "Reserve order changed",
            "{actor} moved {name} to place {reserve_rank} of the reserve list",
        ),
        "nominations.nomination.promoted": (
            "Reserve promoted",
            "{actor} promoted {name} from place {from_reserve_rank} of the reserve list to selected",
        ),
        "nominations.selection.proposal_confirmed": (
            "Proposal confirmed",
            lambda v: (
                f"{v['actor']} confirmed the proposed selection of {v['project']}: "
                f"{len(v['raw'].get('selected') or [])} selected, {len(v['raw'].get('reserve') or [])} on the reserve list"
            ),
        ),
        "nominations.selection.published": (
            "Selection published",
            lambda v: (
                f"{v['actor']} published the selection of {v['project']}: {v['selected'] or 0} selected, "
                f"{v['declined_at_publication'] or 0} undecided marked not selected, {v['countries'] or 0} countries told"
            ),
        ),
        "nominations.import.uploaded": (
            "Nominations file uploaded",
            "{actor} uploaded {file_name} with nominations of {country} for {project}",
        ),
        "nominations.import.done": (
            "Nominations imported",
            "{actor} imported {created} nominations of {country} into {project} ({skipped} rows skipped)",
        ),
        "nominations.participant.created": ("Participant made", "{actor} made {name} a participant of {project}"),
        "nominations.participant.withdrawn": (
            "Participant withdrawn",
            lambda v: f"{v['actor']} withdrew participant {v['name']}" + when(v["reason"], f" ({v['reason']})"),
        ),
    }
)


def _said(lead):
    """`lead`, then the sentence the service wrote into the entry (seats and replacements), without its full stop."""

    def sentence(v):
        said = str(v["raw"].get("sentence") or "").rstrip(".")
        return f"{lead.format_map(v)}{': ' + said if said else ''}"

    return sentence


register(
    {
        "nominations.seat_confirmation.date_set": (
            "Seat date set",
            _said("{actor} set the date to confirm seats of {project}"),
        ),
        "nominations.seat_confirmation.reminded": (
            "Seat reminder sent",
            _said("{actor} reminded the participants of {project} who had not confirmed their seat"),
        ),
        "nominations.participant.seat_confirmed": ("Seat confirmed", _said("{actor} answered for {project}")),
        "nominations.participant.seat_declined": ("Seat declined", _said("{actor} answered for {project}")),
        "nominations.replacement_window.opened": (
            "Replacement window opened",
            _said("{actor} opened a replacement window in {project}"),
        ),
        "nominations.replacement_window.changed": (
            "Replacement window changed",
            _said("{actor} changed a replacement window of {project}"),
        ),
        "nominations.replacement.decided": (
            "Replacement decided",
            _said("{actor} decided on a replacement in {project}"),
        ),
    }
)
