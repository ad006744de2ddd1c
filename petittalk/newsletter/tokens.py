"""The signed links in newsletter emails (django.core.signing: tamper-proof, and dated)."""

from __future__ import annotations

import datetime as dt

from django.core import signing

CONFIRM_SALT = "petittalk.newsletter.confirm"
UNSUBSCRIBE_SALT = "petittalk.newsletter.unsubscribe"
CONFIRM_VALID_FOR = dt.timedelta(days=7)


class BadToken(Exception):
    """A link that was forged, mangled or has expired; the message is shown as it is."""


def confirm_token(*, subscriber_id: int, optin_round: str) -> str:
    return signing.dumps([subscriber_id, optin_round], salt=CONFIRM_SALT)


def read_confirm_token(token: str) -> tuple[int, str]:
    try:
        subscriber_id, optin_round = signing.loads(
            token, salt=CONFIRM_SALT, max_age=CONFIRM_VALID_FOR
        )
    except signing.SignatureExpired as exc:
        raise BadToken(
            "This confirmation link has expired. Subscribe again to get a new one."
        ) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadToken("This confirmation link is not valid.") from exc
    if not isinstance(subscriber_id, int) or not isinstance(optin_round, str):
        raise BadToken("This confirmation link is not valid.")
    return subscriber_id, optin_round


def unsubscribe_token(*, subscriber_id: int) -> str:
    # No expiry: an unsubscribe link in a mail from years ago must still work (RFC 8058 asks
    # for links that keep working), and unsubscribing is the harmless direction.
    return signing.dumps(subscriber_id, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> int:
    try:
        subscriber_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadToken("This unsubscribe link is not valid.") from exc
    if not isinstance(subscriber_id, int):
        raise BadToken("This unsubscribe link is not valid.")
    return subscriber_id
