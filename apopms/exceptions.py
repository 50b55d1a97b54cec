class DomainError(Exception):
    """A rule of the portal was broken. The message is safe to show to the user.

    `field` names the form field it concerns, when there is one. `errors` maps several
    fields to their messages when more than one is wrong at once (form validation that
    names each wrong field); `message` then summarises them.
    """

    def __init__(self, message, *, field=None, errors=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = dict(errors or {})
        if field and not self.errors:
            self.errors = {field: message}

    def __str__(self):
        return self.message


def add_to_form(form, error):
    """Show a DomainError on a Django form: each named field gets its message, the rest go on top."""
    if error.errors:
        for field, message in error.errors.items():
            form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(error.field if error.field in form.fields else None, error.message)
