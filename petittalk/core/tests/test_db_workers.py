"""Two `manage.py db_worker` processes drain one queue of emails: each message goes out once."""

from __future__ import annotations

import email
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection, transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from petittalk.core.emails import queue_email
from petittalk.testing.nodes import database_url, production_env, start_db_worker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

MESSAGES = 1000
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what Django's file backend writes after each message


def recipients_in(folder: Path) -> list[str]:
    """Every To: address in the messages Django's file backend wrote into `folder`."""
    found = []
    for path in folder.glob("*.log"):
        for raw in path.read_bytes().split(SEPARATOR):
            if raw.strip():
                found.append(email.message_from_bytes(raw)["To"])
    return found


def test_two_workers_send_a_thousand_queued_emails_each_exactly_once(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    addresses = [f"student{n}@example.com" for n in range(MESSAGES)]
    with transaction.atomic():
        for n, address in enumerate(addresses):
            queue_email(subject=f"Your lesson {n}", body="À bientôt !", to=[address])
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == MESSAGES

    workers = {}
    for name in ("worker-a", "worker-b"):
        # A folder per worker: the file backend names its files by second and object id, so
        # two processes could otherwise append to the same file.
        env = production_env(
            DATABASE_URL=database_url(connection.settings_dict),
            TASKS_BACKEND="database",
            EMAIL_URL=f"file://{tmp_path / name}",
        )
        log = tmp_path / f"{name}.log"
        workers[name] = (start_db_worker(env=env, worker_id=name, log=log), log)
    for name, (process, log) in workers.items():
        try:
            # --batch: each worker exits by itself once the queue is empty.
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        assert process.returncode == 0, f"{name}:\n{log.read_text()[-3000:]}"

    sent = {name: recipients_in(tmp_path / name) for name in workers}
    assert Counter(sent["worker-a"] + sent["worker-b"]) == Counter(addresses)
    rows = list(DBTaskResult.objects.values_list("status", "worker_ids"))
    assert len(rows) == MESSAGES
    assert {status for status, _ in rows} == {TaskResultStatus.SUCCESSFUL}
    # Claimed once each, and the work was shared: both workers were racing for the same rows.
    claims = Counter(worker for _, worker_ids in rows for worker in worker_ids)
    assert sum(claims.values()) == MESSAGES
    assert set(claims) == {"worker-a", "worker-b"}
    assert {name: len(sent[name]) for name in workers} == dict(claims)
