"""Test helper: drop every cached copy of public content, so the next request computes afresh."""

from django.core.cache import cache

from petittalk.core import content_cache


def forget_cached_content() -> None:
    """For tests that measure the work behind a page (its queries), not the cache in front of
    it; and for rows made with bulk_create, which moves no version (core/versions.py)."""
    cache.clear()
    content_cache.clear_local()
