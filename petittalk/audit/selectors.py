"""Reading the audit log: newest first, with the actor in the same query."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from petittalk.audit.models import AuditEntry


def audit_entries(
    *, object_type: str = "", object_id: str = "", actor_email: str = ""
) -> QuerySet[AuditEntry]:
    """Every entry, newest first, narrowed by object (type, and key if given) and actor email."""
    entries = AuditEntry.objects.select_related("actor").order_by("-created_at", "-pk")
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if actor_email:
        entries = entries.filter(actor__email__iexact=actor_email)
    return entries


def audit_history(refs: Iterable[tuple[str, str]]) -> QuerySet[AuditEntry]:
    """The entries about any of these objects ((type, key) pairs), newest first."""
    match = Q(pk__in=[])
    for object_type, object_id in refs:
        match |= Q(object_type=object_type, object_id=str(object_id))
    return AuditEntry.objects.filter(match).select_related("actor").order_by("-created_at", "-pk")
