from __future__ import annotations

import pytest

from petittalk.teachers.reference import ensure_reference_data


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A visitor from Tokyo: the sign-up form must pick their zone up from the browser.
    return {**browser_context_args, "timezone_id": "Asia/Tokyo", "locale": "en-GB"}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    # Browser tests need committed data (the live server reads it from another thread), so they
    # run in transactional mode, which empties the tables after each test: put the rows back.
    ensure_reference_data()


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
