from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models.fields.files import FieldFile


def delete_files_on_commit(files: Iterable[FieldFile]) -> None:
    """Remove replaced uploads only once the new ones are committed (a rollback keeps the old)."""
    names = [(f.storage, f.name) for f in files if f]
    if names:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])
