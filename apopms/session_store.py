"""The session engine (SESSION_ENGINE): Django's database sessions, read by a compiled query.

Every signed-in request reads its session first. Django's store builds, compiles and (on
PostgreSQL) plans that query anew each time; here it is compiled once per process and prepared
once per connection (`apopms.compiled`), and whether the session has expired is checked on the row.
Writing, expiry and `clearsessions` are Django's.
"""

from django.contrib.sessions.backends import db
from django.db import router
from django.utils import timezone

from .compiled import CompiledQuery, parameter


def _query():
    Session = db.SessionStore.get_model_class()
    return Session.objects.filter(session_key=parameter("key")).values_list("session_data", "expire_date")


_SESSION = CompiledQuery(_query)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        rows = _SESSION.rows(router.db_for_read(self.model), key=self.session_key) if self.session_key else []
        if rows and rows[0][1] > timezone.now():
            data, expire_date = rows[0]
            return self.model(session_key=self.session_key, session_data=data, expire_date=expire_date)
        self._session_key = None
        return None
