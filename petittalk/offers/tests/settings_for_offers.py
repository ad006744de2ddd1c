"""The project's settings with the offers app installed, until config/settings.py lists it.

pytest --ds petittalk.offers.tests.settings_for_offers petittalk/offers
"""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

if "petittalk.offers" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "petittalk.offers"]

ROOT_URLCONF = "petittalk.offers.tests.urls_for_tests"
