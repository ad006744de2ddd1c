import functools

from django.http import HttpRequest
from django.utils import timezone

from petittalk.basket.selectors import basket_count


def basket(request: HttpRequest) -> dict[str, object]:
    """The navigation's basket count, for students only, and counted only when a template shows
    it: an htmx fragment (a week of the slot picker) or a JSON answer never asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_student:
        return {}
    # A template calls it, once: the navigation reads it twice (number, plural).
    return {"basket_count": functools.cache(lambda: basket_count(user, now=timezone.now()))}
