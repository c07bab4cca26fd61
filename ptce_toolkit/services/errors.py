"""Errors raised by services; messages are French sentences meant for the user."""


class ServiceError(ValueError):
    """A request the data cannot satisfy (unknown id, invalid value…)."""


class NotFound(ServiceError):
    """The pole, assessment or item asked for does not exist."""
