from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A visitor from Tokyo: the sign-up form must pick their zone up from the browser.
    return {**browser_context_args, "timezone_id": "Asia/Tokyo", "locale": "en-GB"}


@pytest.fixture(autouse=True)
def committed_data(transactional_db) -> None:
    """Browser tests need committed data (the live server reads it from another thread).

    So they run in transactional mode. The tables are emptied after each one and the reference
    rows put back at once (the root conftest.py), so every test, browser or not, finds them.
    """


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
