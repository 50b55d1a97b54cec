"""Reactions of the certificates to signals of the apps below them."""

from sessions.signals import attendance_changed

from .emails import queue_eligibility_lost


def tell_the_secretariat_of_undeserved_certificates(sender, project, actor=None, **kwargs):
    """An attendance change left live certificates whose holders no longer qualify: the
    Secretariat hears of them (once per set of certificates), to revoke or reissue them."""
    queue_eligibility_lost(project, actor=actor)


attendance_changed.connect(tell_the_secretariat_of_undeserved_certificates, dispatch_uid="certificates.eligibility")
