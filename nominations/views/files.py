"""A nomination's CV as a download: for its NPO and the Secretariat (`nominations.cv`) and for the
candidate themself (`candidates.candidate_cv`); who may have it is the caller's check."""

import mimetypes

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header


def cv_response(nomination):
    """The CV as an attachment under the name it was uploaded with, never cached nor sniffed."""
    if not nomination.cv:
        raise Http404("No CV was uploaded.")
    try:
        # At most 5 MB: read it whole, so no file handle outlives the request.
        with nomination.cv.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    name = nomination.cv_original_name or nomination.cv.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(nomination.cv.name)[0] or "application/octet-stream"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
