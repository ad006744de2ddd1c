"""A worker dies mid-campaign and another carries on: nobody is mailed twice.

Two real `manage.py db_worker` processes on the suite's PostgreSQL database, mailing into files
(EMAIL_URL=file://). The first is killed with SIGKILL once part of the campaign is out; the second
then works through what is left.
"""

from __future__ import annotations

import collections
import email
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from petittalk.accounts.tests.factories import StaffFactory
from petittalk.newsletter import services
from petittalk.newsletter.models import CampaignDelivery, DeliveryStatus, SubscriberStatus
from petittalk.newsletter.tests.factories import CampaignFactory, SubscriberFactory

ROOT = Path(__file__).resolve().parents[3]
SUBSCRIBERS = 400
KILL_AFTER_SENT = 60


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker(mail_dir: Path, *extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "database",
        "EMAIL_URL": f"file://{mail_dir}",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--interval",
            "0.1",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def count(status: DeliveryStatus) -> int:
    return CampaignDelivery.objects.filter(status=status).count()


def recipients_in(mail_dir: Path) -> collections.Counter:
    """Every To: of every message the file backend wrote (a file may hold several, each
    followed by a line of 79 dashes)."""
    seen: collections.Counter = collections.Counter()
    for path in mail_dir.iterdir():
        for chunk in path.read_text().split("-" * 79 + "\n"):
            if chunk.strip():
                seen[email.message_from_string(chunk)["To"]] += 1
    return seen


@pytest.mark.django_db(transaction=True)
def test_a_campaign_interrupted_midway_and_resumed_mails_nobody_twice(tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    confirmed = {SubscriberFactory().email for _ in range(SUBSCRIBERS)}
    SubscriberFactory(email="pending@example.com", status=SubscriberStatus.PENDING)
    SubscriberFactory(email="left@example.com", status=SubscriberStatus.UNSUBSCRIBED)
    services.campaign_send(campaign=CampaignFactory(), actor=StaffFactory())

    first = worker(mail_dir)
    deadline = time.monotonic() + 120
    while count(DeliveryStatus.SENT) < KILL_AFTER_SENT:
        assert first.poll() is None, first.stderr.read().decode()[-3000:]
        assert time.monotonic() < deadline, "the first worker never got going"
        time.sleep(0.005)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    at_kill = {status.value: count(status) for status in DeliveryStatus}
    assert at_kill["queued"] > 0, f"the first worker finished before the kill: {at_kill}"

    second = worker(mail_dir, "--batch")
    assert second.wait(timeout=300) == 0, second.stderr.read().decode()[-3000:]

    after = {status.value: count(status) for status in DeliveryStatus}
    mailed = recipients_in(mail_dir)
    in_flight = set(
        CampaignDelivery.objects.filter(status=DeliveryStatus.SENDING).values_list(
            "subscriber__email", flat=True
        )
    )
    print(
        f"\ninterrupted campaign: {SUBSCRIBERS} confirmed; at the kill {at_kill}; "
        f"after the second worker {after}; messages written {sum(mailed.values())}, "
        f"distinct recipients {len(mailed)}, most to one address {max(mailed.values())}"
    )
    assert max(mailed.values()) == 1  # nobody mailed twice
    assert set(mailed) <= confirmed  # never the pending or unsubscribed ones
    assert after["queued"] == 0
    assert after["failed"] == 0
    assert len(in_flight) <= 1  # at most the one the killed worker was mailing
    assert confirmed - in_flight <= set(mailed)  # every other one got it
    assert after["sent"] == len(confirmed) - len(in_flight)
