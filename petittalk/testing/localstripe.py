"""A local fake Stripe (localstripe) on a free 127.0.0.1 port, and helpers to sign test webhooks.

localstripe's own command binds to `::` (every interface, IPv6 and IPv4) with no host option, and
saves its whole store to the shared `/tmp/localstripe.pickle` after every write. On a shared
machine we want neither, so `local_stripe_server()` runs its aiohttp app through a tiny launcher
that binds to 127.0.0.1 only and keeps the store in memory (what `--from-scratch` gives, minus the
file).
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress

import stripe

from petittalk.testing.postgres import free_port

# Run as `python -c LAUNCHER PORT`. Kept to the parts of `localstripe.server.start()` we need:
# a fresh in-memory store (so no `try_load_from_disk()`) and the app served on one address.
LAUNCHER = """
import sys
from aiohttp import web
from localstripe import resources
from localstripe.server import app

# The store is a process-wide dict; writing it to a fixed /tmp file would race other instances.
resources.Store.dump_to_disk = lambda self: None
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""

# Served without authentication (localstripe's copy of Stripe.js), so it tells us the app is up.
READY_PATH = "/js.stripe.com/v3/"


@contextmanager
def local_stripe_server(timeout: float = 30) -> Iterator[str]:
    """Start localstripe on 127.0.0.1 and a free port; yield its base URL; stop it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(url + READY_PATH, timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("localstripe did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def register_webhook(
    base_url: str,
    url: str,
    secret: str,
    events: Iterable[str] | None = None,
    webhook_id: str | None = None,
) -> str:
    """Ask localstripe to POST signed events to `url` (only `events`, if given). Returns the id.

    Registering again with the same id replaces the endpoint: localstripe has no way to delete one,
    so pass an event type that never happens to silence it.
    """
    webhook_id = webhook_id or "wh_" + secrets.token_hex(8)
    fields: list[tuple[str, str]] = [("url", url), ("secret", secret)]
    fields += [("events[]", event) for event in events or ()]
    request = urllib.request.Request(
        f"{base_url}/_config/webhooks/{webhook_id}",
        data=urllib.parse.urlencode(fields).encode(),
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()
    return webhook_id


def signed_event_headers(
    payload: dict, secret: str, timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    """A hand-made event as Stripe would send it: the JSON body and its `Stripe-Signature`.

    Stripe's documented scheme: `t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the
    endpoint secret>`; the SDK's own signer computes exactly that.
    """
    body = json.dumps(payload)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=timestamp)
    return body.encode(), {"Content-Type": "application/json", "Stripe-Signature": header}


def pay_intent(api: stripe.StripeClient, intent_id: str, payment_method: str) -> None:
    """What Stripe.js's `confirmPayment` does in the browser, done directly against localstripe.

    localstripe refuses `payment_method` on confirm (500 "Not implemented"), so it is attached
    first. A declined card answers 402 here, as at Stripe; the webhook reports it either way.
    """
    api.v1.payment_intents.update(intent_id, params={"payment_method": payment_method})
    with suppress(stripe.CardError):
        api.v1.payment_intents.confirm(intent_id)


def intents_for_order(api: stripe.StripeClient, order_number: str) -> list[stripe.PaymentIntent]:
    """Every PaymentIntent localstripe holds for an order (it cannot filter, so we do)."""
    return [
        intent
        for intent in api.v1.payment_intents.list(params={"limit": 100}).auto_paging_iter()
        if intent.metadata.to_dict().get("order_number") == order_number
    ]


def payment_intent_event(
    intent_id: str,
    amount_cents: int,
    event_type: str = "payment_intent.succeeded",
    *,
    currency: str = "eur",
    failure: str = "",
    event_id: str | None = None,
) -> dict:
    """A Stripe event about a PaymentIntent, shaped as Stripe sends it (for hand-signed tests)."""
    succeeded = event_type == "payment_intent.succeeded"
    error = {"code": "card_declined", "message": failure} if failure else None
    return {
        "id": event_id or "evt_test_" + secrets.token_hex(8),
        "object": "event",
        "api_version": "2025-01-27.acacia",
        "created": int(time.time()),
        "livemode": False,
        "type": event_type,
        "data": {
            "object": {
                "id": intent_id,
                "object": "payment_intent",
                "amount": amount_cents,
                "amount_received": amount_cents if succeeded else 0,
                "currency": currency,
                "status": "succeeded" if succeeded else "requires_payment_method",
                "last_payment_error": error,
            }
        },
    }


def wait_for(condition: Callable[[], bool], timeout: float = 10, step: float = 0.1) -> bool:
    """Poll until `condition()` is true (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())
