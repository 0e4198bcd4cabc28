"""Users, passwords, tokens and roles."""

from finlife.identity import messages as _messages  # noqa: F401  (registers the module's words once)
