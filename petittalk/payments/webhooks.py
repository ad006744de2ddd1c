from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from petittalk.payments import services
from petittalk.payments.gateways.base import WebhookRejected

logger = logging.getLogger(__name__)


@csrf_exempt  # the one CSRF-exempt view: Stripe signs its requests instead
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's events. A forged or stale signature is a 400 and writes nothing."""
    try:
        outcome = services.payment_event_receive(
            gateway_name="stripe", body=request.body, headers=request.headers
        )
    except WebhookRejected as exc:
        logger.warning("Stripe webhook refused (%s): %d bytes", exc, len(request.body))
        return HttpResponse(str(exc), status=400, content_type="text/plain")
    return HttpResponse(outcome, content_type="text/plain")
