"""Outgoing email: rendered in the request, delivered by the background worker.

Messages are rendered to plain strings up front so the task's arguments are JSON and the worker
needs no request or template context.
"""

from __future__ import annotations

from email import policy
from email.utils import formataddr, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task


def site_domain() -> str:
    """The host of SITE_URL: Message-IDs end in it, not in this machine's name (`localhost`)."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


class _HeaderPolicy(policy.EmailPolicy):
    """The modern folding, minus its habit of moving a whole value that fits on a continuation
    line off the first line (`Subject:` then ` [Petit Talk] Lesson moved...`): mail apps then
    show the subject with a leading blank. The value starts on the header's own line instead;
    that line may run past 78 characters (a SHOULD), never past 998 (the MUST)."""

    def _join_first_line(self, name: str, folded):
        start = f"{name}:{self.linesep} "
        if isinstance(folded, bytes):
            start = start.encode("ascii")
        if folded.startswith(start):  # `Subject:` + ` [Petit Talk] ...`, the line break dropped
            return folded[: len(name) + 1] + folded[len(start) - 1 :]
        return folded

    def fold(self, name, value):
        return self._join_first_line(name, super().fold(name, value))

    def fold_binary(self, name, value):
        return self._join_first_line(name, super().fold_binary(name, value))


HEADER_POLICY = _HeaderPolicy()


class SiteEmail(EmailMultiAlternatives):
    """Every mail the site sends: a Message-ID in the site's domain, and headers folded the
    modern way (RFC 2047 words only where needed), so a subject with `€` does not start with
    an empty folded line as Django's compat32 header encoding writes it."""

    def message(self):
        self.extra_headers.setdefault("Message-ID", make_msgid(domain=site_domain()))
        message = super().message()
        message.policy = HEADER_POLICY
        return message


def build_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str = "",
    from_email: str = "",
    reply_to: list[str] | None = None,
    to_name: str = "",
) -> SiteEmail:
    """The message for one delivery. `to_name` puts the person's name on the To line
    (`"Sam Lee" <sam@example.com>`) while `to` stays the bare addresses the envelope uses."""
    headers = {}
    if to_name and len(to) == 1:
        headers["To"] = formataddr((to_name, to[0]))
    message = SiteEmail(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to or None,
        headers=headers,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


@task()
def deliver_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str = "",
    from_email: str = "",
    reply_to: list[str] | None = None,
    to_name: str = "",
) -> None:
    build_email(
        subject=subject,
        body=body,
        to=to,
        html=html,
        from_email=from_email,
        reply_to=reply_to,
        to_name=to_name,
    ).send()


def queue_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str = "",
    from_email: str = "",
    reply_to: list[str] | None = None,
    to_name: str = "",
) -> None:
    """Send after the surrounding transaction commits, so a rolled-back change mails no one."""
    payload = {"subject": subject, "body": body, "to": to, "html": html, "from_email": from_email}
    if reply_to:
        payload["reply_to"] = reply_to
    if to_name:
        payload["to_name"] = to_name
    transaction.on_commit(lambda: deliver_email.enqueue(**payload))


def queue_templated_email(
    *,
    template: str,
    to: list[str],
    context: dict,
    reply_to: list[str] | None = None,
    to_name: str = "",
) -> None:
    """Render `<template>_subject.txt`, `_message.txt` and `_message.html` and queue them."""
    # One line, whatever the template's tags and line breaks left around the text.
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_message.txt", context)
    html = render_to_string(f"{template}_message.html", context)
    queue_email(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=body,
        html=html,
        to=to,
        reply_to=reply_to,
        to_name=to_name,
    )
