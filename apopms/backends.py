"""The portal's authentication backend: Django's, loading with the user what every page asks of them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef

from .compiled import CompiledQuery, columns, parameter


def _user_query():
    User = get_user_model()
    Participant = User._meta.get_field("participations").related_model
    return (
        User._default_manager.annotate(taking_part=Exists(Participant.objects.filter(user=OuterRef("pk"))))
        .filter(pk=parameter("user", number=True))
        .values_list(*columns(User), "taking_part")
    )


# Every signed-in request runs it: compiled once per process, prepared on each connection.
_USER = CompiledQuery(_user_query)


class PortalBackend(ModelBackend):
    """`ModelBackend`, whose user of each request also knows whether they take part in a project.

    The navigation offers "My workshop" to a participant (`context_processors.roles`): read in the
    query that loads the user, rather than in a query of its own on every signed-in page.
    """

    def get_user(self, user_id):
        User = get_user_model()
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        rows = _USER.rows(User._default_manager.db, user=pk)
        if not rows:
            return None
        *values, taking_part = rows[0]
        user = User.from_db(User._default_manager.db, columns(User), values)
        user.taking_part = taking_part
        return user if self.user_can_authenticate(user) else None
