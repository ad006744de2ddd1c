from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A visitor from Tokyo: the sign-up form must pick their zone up from the browser.
    return {**browser_context_args, "timezone_id": "Asia/Tokyo", "locale": "en-GB"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
