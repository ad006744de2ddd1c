"""A student's orders, their lines and refunds show on the student's own pages: each save or
delete moves the student's person scope (core/versions.py). The bulk updates in orders.services
bump it by hand."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from petittalk.core import versions
from petittalk.orders.models import Order, OrderLine, Refund


def _order_changed(*, instance: Order, **kwargs) -> None:
    versions.bump([versions.person_scope(instance.student_id)])


def _part_changed(*, instance: OrderLine | Refund, **kwargs) -> None:
    versions.bump([versions.person_scope(instance.order.student_id)])


def connect() -> None:
    uid = "petittalk.orders.content_versions"
    post_save.connect(_order_changed, sender=Order, dispatch_uid=f"{uid}.order")
    post_delete.connect(_order_changed, sender=Order, dispatch_uid=f"{uid}.order-del")
    for model in (OrderLine, Refund):
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"{uid}.{model.__name__}")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"{uid}.{model.__name__}-d")
