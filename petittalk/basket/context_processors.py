from django.http import HttpRequest
from django.utils import timezone

from petittalk.basket.selectors import basket_count


def basket(request: HttpRequest) -> dict[str, int]:
    """The navigation's basket count: one cheap query, for students only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_student:
        return {}
    return {"basket_count": basket_count(user, now=timezone.now())}
