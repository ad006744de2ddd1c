"""A two-tier cache for content stored under versioned keys (see core/versions.py).

An entry under a versioned key never changes meaning: when the content changes, its version
moves and readers ask for a new key. So each process may keep a copy in its own memory without
ever serving something the shared cache would not: the memory tier saves the round trip to the
shared cache (the database table or Redis) on the hottest keys. Its size is bounded (least
recently used entries go first), and every entry still carries its time limit.

Inside a transaction the cache is not used at all: a transaction may have bumped a version it
will roll back, and content read there may never be committed; both would poison a key that a
later change reuses. Writers read fresh data, which is what their checks need anyway.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from django.core.cache import cache
from django.db import connection

# Entries are a few to a few dozen kB (a rendered page, a week of slots): 512 of them stay
# well inside a worker's memory budget.
LOCAL_ENTRIES = 512

_local: OrderedDict[str, tuple[float, object]] = OrderedDict()
_lock = threading.Lock()


def get(key: str) -> object | None:
    """The value stored under `key`, or None when there is none or it has expired."""
    if in_transaction():
        return None
    now = time.time()
    with _lock:
        entry = _local.get(key)
        if entry is not None:
            if entry[0] > now:
                _local.move_to_end(key)
                return entry[1]
            del _local[key]
    stored = cache.get(key)
    if stored is None:
        return None
    expires_at, value = stored
    if expires_at <= now:
        return None
    _remember(key, expires_at, value)
    return value


def put(key: str, value: object, *, seconds: float) -> None:
    """Store `value` under `key` for `seconds` (in both tiers)."""
    if seconds <= 0 or in_transaction():
        return
    expires_at = time.time() + seconds
    # The shared cache keeps it a little longer than it is valid; `get` checks the real limit.
    cache.set(key, (expires_at, value), timeout=int(seconds) + 1)
    _remember(key, expires_at, value)


def in_transaction() -> bool:
    """Inside a transaction of our own (the ones Django's test cases wrap each test in don't
    count: they stand for the autocommit a real request runs in)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def clear_local() -> None:
    """Forget this process's copies (tests that clear the shared cache call it too)."""
    with _lock:
        _local.clear()


def _remember(key: str, expires_at: float, value: object) -> None:
    with _lock:
        _local[key] = (expires_at, value)
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
