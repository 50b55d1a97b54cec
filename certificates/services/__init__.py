"""Issuing, revoking and reissuing certificates of attendance. Every write goes through here.

- `issuing`: the eligibility gate (`check_eligible`, `require_issuing_open`) and `issue_certificate`;
- `chunked`: `issue_chunk`, a batch's certificates a chunk at a time (the database work done once per chunk);
- `batches`: `start_issuing`, `queue_certificate` (one, on the worker), failures and their retry, orphan files,
  `resume_stalled_batches` (the beat's sweep of batches that lost their tasks);
- `revocation`: `revoke_certificate`, `reissue_certificate`, `queue_reissue` (on the worker);
- `names`: `correct_certificate_name`.

Who may act is `certificates.permissions` (PermissionDenied); the rules raise DomainError.
"""

from ..pdf import APO_NAME, certificate_data
from ..selectors import participants_without_certificate
from .batches import (
    ORPHAN_AGE,
    queue_certificate,
    record_failure,
    remove_orphan_files,
    resume_stalled_batches,
    retry_failures,
    start_issuing,
)
from .chunked import CHUNK, chunks, issue_chunk
from .issuing import (
    certificate_number,
    check_eligible,
    finish_batches_if_complete,
    issue_certificate,
    new_verification_code,
    require_issuing_open,
)
from .names import correct_certificate_name
from .revocation import queue_reissue, reissue_certificate, revoke_certificate

__all__ = [
    "APO_NAME",
    "CHUNK",
    "ORPHAN_AGE",
    "certificate_data",
    "certificate_number",
    "check_eligible",
    "chunks",
    "correct_certificate_name",
    "finish_batches_if_complete",
    "issue_certificate",
    "issue_chunk",
    "new_verification_code",
    "participants_without_certificate",
    "queue_certificate",
    "queue_reissue",
    "record_failure",
    "reissue_certificate",
    "remove_orphan_files",
    "require_issuing_open",
    "resume_stalled_batches",
    "retry_failures",
    "revoke_certificate",
    "start_issuing",
]
