"""Outgoing email: rendered in the request, delivered by the background worker.

Messages are rendered to plain strings up front so the task's arguments are JSON and the worker
needs no request or template context.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task


@task()
def deliver_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str = "",
    from_email: str = "",
    reply_to: list[str] | None = None,
) -> None:
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to or None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def queue_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str = "",
    from_email: str = "",
    reply_to: list[str] | None = None,
) -> None:
    """Send after the surrounding transaction commits, so a rolled-back change mails no one."""
    payload = {"subject": subject, "body": body, "to": to, "html": html, "from_email": from_email}
    if reply_to:
        payload["reply_to"] = reply_to
    transaction.on_commit(lambda: deliver_email.enqueue(**payload))


def queue_templated_email(
    *, template: str, to: list[str], context: dict, reply_to: list[str] | None = None
) -> None:
    """Render `<template>_subject.txt`, `_message.txt` and `_message.html` and queue them."""
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    subject = " ".join(subject.splitlines())
    body = render_to_string(f"{template}_message.txt", context)
    html = render_to_string(f"{template}_message.html", context)
    queue_email(
        subject=f"[{settings.SITE_NAME}] {subject}", body=body, html=html, to=to, reply_to=reply_to
    )
