"""Writing the audit log (after pretix's `log_action`).

Call `audit_log` from inside the service's own `transaction.atomic`, after the change it records:
the entry then commits with the change or rolls back with it, so the log never tells of a change
that did not happen, nor misses one that did.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Model

from petittalk.accounts.models import User
from petittalk.audit.models import AuditEntry


class AuditOutsideTransaction(RuntimeError):
    """`audit_log` was called outside the transaction of the change it records (a bug)."""


def object_ref(obj: Model) -> tuple[str, str]:
    """The plain reference an entry keeps to an object: (`app_label.model`, its key)."""
    return obj._meta.label_lower, str(obj.pk)


def audit_log(
    *, actor: User | None, action: str, obj: Model, data: dict[str, Any] | None = None
) -> AuditEntry:
    """Record that `actor` (None: the system or a gateway) did `action` to `obj`.

    `data` holds what matters to read later (before/after values); decimals and datetimes in it
    are stored as strings ("18.00", ISO 8601). Raises AuditOutsideTransaction unless a
    transaction is open: an entry written on its own could outlive a change that rolls back.
    """
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction(
            f"audit_log({action!r}) must run inside the change's transaction"
        )
    object_type, object_id = object_ref(obj)
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:200],
        data=json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder)),
    )


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The values that differ, as {name: {"before": …, "after": …}}. Compared as they are, so
    Decimal("15") and Decimal("15.00") are the same value."""
    return {
        name: {"before": before.get(name), "after": value}
        for name, value in after.items()
        if before.get(name) != value
    }
