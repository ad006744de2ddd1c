from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from petittalk.accounts.access import student_required
from petittalk.basket.selectors import basket_code, basket_for
from petittalk.core.money import to_minor_units
from petittalk.orders import services as order_services
from petittalk.orders.models import Order, OrderStatus
from petittalk.orders.selectors import current_order_of, last_billing_of, orders_visible_to
from petittalk.payments import services
from petittalk.payments.csp import allow_stripe_js
from petittalk.payments.forms import BillingForm, DummyCardForm
from petittalk.payments.gateways import dummy


@student_required
@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    """Billing details and the order summary; continuing places (or reuses) the order."""
    now = timezone.now()
    code = basket_code(request)
    basket = basket_for(request.user, code=code, now=now)
    if basket.is_empty:
        messages.info(request, "Your basket is empty. Pick a time with a teacher first.")
        return redirect("basket:detail")
    if basket.code_refusal:
        return redirect("basket:detail")  # the basket says why, beside the code box
    # After a declined card, or for a returning student, the last billing details are filled in.
    last = last_billing_of(request.user)
    initial = (
        {"name": last.billing_name, "email": last.billing_email, "country": last.billing_country}
        if last
        else {"name": request.user.name, "email": request.user.email}
    )
    form = BillingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            order = order_services.checkout_place_order(
                student=request.user,
                billing=order_services.Billing(**form.cleaned_data),
                code=code,
                now=now,
            )
        except order_services.CheckoutError as exc:
            messages.error(request, str(exc))
            return redirect("basket:detail")
        try:
            services.order_payment_start(order=order)
        except order_services.CheckoutError as exc:
            messages.error(request, str(exc))  # the payment page offers to try again
        # Post/redirect/get: reloading the payment page never re-submits the billing form.
        return redirect("payments:pay", number=order.number)
    return render(request, "payments/checkout.html", {"form": form, "basket": basket})


@student_required
@require_http_methods(["GET", "POST"])
@allow_stripe_js
def pay(request: HttpRequest, number: str) -> HttpResponse:
    """The order's payment: the dummy card page, or Stripe's Payment Element. Always the same
    payment for one order, however often this page is opened. Checkout starts the payment;
    should that have failed (the gateway was down), a POST here starts it, so GET never writes."""
    order = _order_of(request, number=number)
    if order.status == OrderStatus.PAID:
        return redirect("payments:return", number=order.number)
    try:
        if request.method == "POST":
            services.order_payment_start(order=order)
            return redirect("payments:pay", number=order.number)
        if not order.payment_reference:
            return render(request, "payments/pay_start.html", {"order": order})
        start = services.order_payment_resume(order=order)
    except order_services.OrderReplaced:
        return _replaced(request, order)
    except order_services.CheckoutError as exc:
        messages.error(request, str(exc))
        if order.status == OrderStatus.PENDING:
            return render(request, "payments/pay_start.html", {"order": order})
        return redirect("basket:detail")
    if start.redirect_url:
        return redirect(start.redirect_url)
    return render(
        request,
        "payments/stripe_checkout.html",
        {
            "order": order,
            "client_secret": start.client_secret,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        },
    )


def _replaced(request: HttpRequest, order: Order) -> HttpResponse:
    """An old tab on an order a newer checkout replaced: not payable; here is the current one."""
    current = current_order_of(request.user)
    return render(
        request, "payments/replaced.html", {"order": order, "current": current}, status=409
    )


def _order_of(request: HttpRequest, **lookup) -> Order:
    order = orders_visible_to(request.user).filter(**lookup).first()
    if order is None:
        raise Http404
    return order


@student_required
@require_http_methods(["GET", "POST"])
def dummy_card(request: HttpRequest, reference: str) -> HttpResponse:
    """The dummy processor's card page. Its verdict goes through the webhook pipeline."""
    if settings.PAYMENT_GATEWAY != "dummy":
        raise Http404
    order = _order_of(request, gateway="dummy", payment_reference=reference)
    if order.status == OrderStatus.PAID:
        return redirect("payments:return", number=order.number)
    if order.status == OrderStatus.ABANDONED:
        return _replaced(request, order)  # the processor refuses: no charge
    form = DummyCardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        body = dummy.event_body(
            reference=reference,
            amount_cents=to_minor_units(order.total),
            currency=order.currency,
            failure=dummy.card_verdict(form.cleaned_data["number"]),
        )
        services.payment_event_receive(
            gateway_name="dummy", body=body, headers={dummy.SIGNATURE_HEADER: dummy.sign(body)}
        )
        return redirect("payments:return", number=order.number)
    return render(request, "payments/dummy_card.html", {"order": order, "form": form})


@student_required
def checkout_return(request: HttpRequest, number: str) -> HttpResponse:
    """Where the student lands after paying: the order's real status, as our records know it."""
    order = _order_of(request, number=number)
    if order.status == OrderStatus.ABANDONED:
        return _replaced(request, order)
    if order.status == OrderStatus.FAILED:
        messages.error(
            request,
            f"{order.failure_message} Your lessons are still in your basket while they are held.",
        )
        return redirect("basket:detail")
    return render(request, "payments/return.html", {"order": order})
