class DomainError(Exception):
    """A rule of the portal was broken. The message is safe to show to the user.

    `field` names the form field it concerns, when there is one.
    """

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self):
        return self.message
