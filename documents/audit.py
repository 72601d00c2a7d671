"""One line in the audit log per change a person makes; services call ``record`` inside the
transaction of the change, so an entry exists exactly when the change does."""

from __future__ import annotations

from documents.models import AuditEntry

COMMAND_LINE = "command line"


def record(actor, action: str, target: str, target_url: str = "", **details) -> AuditEntry:
    """``actor`` is a user, or None for the command line and the worker."""
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=user,
        actor_name=user.get_username() if user else COMMAND_LINE,
        action=action,
        target=target[:300],
        target_url=target_url,
        details=details,
    )
