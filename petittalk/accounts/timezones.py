from __future__ import annotations

from petittalk.accounts.models import available_timezones


def timezone_choices() -> list[tuple[str, str]]:
    """Every IANA zone, grouped by region, with readable labels (`America/New York`)."""
    names = sorted(n for n in available_timezones() if "/" in n and not n.startswith("Etc/"))
    return [("UTC", "UTC"), *((n, n.replace("_", " ")) for n in names)]
