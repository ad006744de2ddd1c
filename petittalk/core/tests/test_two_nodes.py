"""Two web nodes behind one PostgreSQL and one Redis, as a site runs when it outgrows one server.

Two gunicorn processes (two sync workers each, production settings) serve the suite's test
database, so the rows a test commits are what they see; a real HTTP client moves between them.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import pytest
import redis
import requests
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from petittalk.accounts.tests.factories import PASSWORD, StudentFactory
from petittalk.bookings.models import Booking, BookingStatus
from petittalk.scheduling.models import AvailabilityRule
from petittalk.teachers.tests.factories import TeacherProfileFactory
from petittalk.testing.forms import form_fields
from petittalk.testing.nodes import (
    WebNode,
    database_url,
    production_env,
    start_web_nodes,
    stop_web_nodes,
)
from petittalk.testing.race import OVERLAP_SQL

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def node_env(redis_url: str, session_store: str) -> dict[str, str]:
    return production_env(
        DATABASE_URL=database_url(connection.settings_dict),
        REDIS_URL=redis_url,
        SESSION_STORE=session_store,
        ALLOWED_HOSTS="127.0.0.1",
        TASKS_BACKEND="immediate",
        EMAIL_URL="locmem://",
    )


@pytest.fixture(scope="module")
def pairs(django_db_setup, redis_url) -> Iterator[dict[str, list[WebNode]]]:
    """Two pairs of nodes A and B, one per SESSION_STORE with Redis, all started at once.

    cached_db (the default: sessions read from Redis, written through to the database) serves
    every test; cache (sessions in Redis alone) the one that checks that mode.
    """
    stores = ["cached_db", "cached_db", "cache", "cache"]
    started = start_web_nodes([node_env(redis_url, store) for store in stores])
    yield {"cached_db": started[:2], "cache": started[2:]}
    stop_web_nodes(started)


@pytest.fixture
def nodes(pairs) -> list[WebNode]:
    return pairs["cached_db"]


@pytest.fixture(autouse=True)
def _empty_redis(redis_url) -> None:
    # The database is emptied after every test here; Redis before each, or cached pages and
    # sessions would outlive the rows they came from.
    redis.Redis.from_url(redis_url).flushdb()


@pytest.fixture(scope="module")
def real_password_hash() -> str:
    # The suite hashes with MD5 to be fast; the nodes accept only production hashers. One real
    # hash (≈0.5 s), shared by every account that logs in through the form.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        return make_password(PASSWORD)


def with_real_password(user, password_hash: str):
    user.password = password_hash
    user.save(update_fields=["password"])
    return user


def csrf_token(page: requests.Response, action: str = "") -> str:
    return dict(form_fields(page.text, action=action))["csrfmiddlewaretoken"]


def log_in(browser: requests.Session, node: WebNode, email: str) -> None:
    """Through the login form, as a person would."""
    page = browser.get(f"{node.url}/accounts/login/")
    answer = browser.post(
        f"{node.url}/accounts/login/",
        data={
            "login": email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf_token(page, "/accounts/login/"),
        },
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:2000]


def test_logged_in_on_node_a_the_student_carries_on_on_node_b(nodes, real_password_hash):
    node_a, node_b = nodes
    student = with_real_password(StudentFactory(display_name="Margaux"), real_password_hash)
    browser = requests.Session()

    log_in(browser, node_a, student.email)
    dashboard = browser.get(f"{node_b.url}/dashboard/student/", allow_redirects=False)

    assert dashboard.status_code == 200
    assert "Bonjour Margaux !" in dashboard.text


def test_with_sessions_in_redis_only_the_student_carries_on_too(pairs, real_password_hash):
    node_a, node_b = pairs["cache"]
    student = with_real_password(StudentFactory(display_name="Inès"), real_password_hash)
    browser = requests.Session()

    log_in(browser, node_a, student.email)
    dashboard = browser.get(f"{node_b.url}/dashboard/student/", allow_redirects=False)

    assert dashboard.status_code == 200
    assert "Bonjour Inès !" in dashboard.text
    # Nothing in the database: the session lives in Redis alone.
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_session")
        assert cursor.fetchone()[0] == 0


def test_a_teacher_edits_their_headline_on_node_a_and_node_b_shows_it_next(
    nodes, real_password_hash
):
    node_a, node_b = nodes
    teacher = TeacherProfileFactory(headline="Conversation coach from Lyon")
    with_real_password(teacher.user, real_password_hash)
    page_url = f"{node_b.url}/teachers/{teacher.slug}/"
    before = requests.get(page_url)
    assert before.status_code == 200 and "Conversation coach from Lyon" in before.text

    browser = requests.Session()
    log_in(browser, node_a, teacher.user.email)
    form_page = browser.get(f"{node_a.url}/dashboard/teacher/profile/")
    fields = [
        (name, "Grammar specialist from Marseille" if name == "headline" else value)
        for name, value in form_fields(form_page.text)
    ]
    # Sent as multipart/form-data, like the browser sends this form (it takes a photo).
    saved = browser.post(
        f"{node_a.url}/dashboard/teacher/profile/",
        files=[(name, (None, value)) for name, value in fields],
        allow_redirects=False,
    )
    assert saved.status_code == 302, saved.text[:2000]

    after = requests.get(page_url)
    assert after.status_code == 200
    assert "Grammar specialist from Marseille" in after.text
    assert "Conversation coach from Lyon" not in after.text


def logged_in_browser(student) -> requests.Session:
    """A browser holding a session made directly in the database (the nodes read it from there on
    a Redis miss), to spare every racer the 0.5 s of a real password check."""
    client = Client()
    client.force_login(student)
    browser = requests.Session()
    browser.cookies.set("sessionid", client.cookies["sessionid"].value)
    return browser


def test_bookings_raced_through_both_nodes_have_one_winner_per_slot(nodes):
    node_a, node_b = nodes
    teacher = TeacherProfileFactory(
        price_30=Decimal("10"),
        price_60=Decimal("20"),
        min_notice_hours=0,
        horizon_days=60,
        slot_step_minutes=30,
    )
    AvailabilityRule.objects.bulk_create(
        AvailabilityRule(teacher=teacher, weekday=d, start_minute=0, end_minute=1440)
        for d in range(7)
    )
    students = StudentFactory.create_batch(8)
    base = (timezone.now() + dt.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    rounds, slots_per_round = 4, 2
    # Each slot is wanted by four students at once, two through each node.
    racers = []
    for index, student in enumerate(students):
        node = (node_a, node_b)[index % 2]
        browser = logged_in_browser(student)
        token = csrf_token(browser.get(f"{node.url}/dashboard/student/"), "/accounts/logout/")
        racers.append((browser, node, token, index % slots_per_round))
    gate = threading.Barrier(len(racers))
    outcomes: list[tuple[int, int, int]] = []  # (round, slot, HTTP status)

    def race(browser: requests.Session, node: WebNode, token: str, slot: int) -> None:
        for round_no in range(rounds):
            starts_at = base + dt.timedelta(hours=3 * round_no + slot)
            gate.wait(timeout=60)
            try:
                answer = browser.post(
                    f"{node.url}/book/{teacher.slug}/",
                    data={
                        "start": starts_at.isoformat(),
                        "duration": "60",
                        "level": "B1",
                        "purpose": "conversation",
                        "csrfmiddlewaretoken": token,
                    },
                    allow_redirects=False,
                    timeout=60,
                )
                status = answer.status_code
            except requests.RequestException:
                status = -1
            outcomes.append((round_no, slot, status))

    threads = [threading.Thread(target=race, args=racer) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = Counter(status for _, _, status in outcomes)
    assert len(outcomes) == rounds * len(racers)
    # 302: held and sent to the basket; 409: "that time was just taken". Nothing else, no 500.
    assert set(statuses) <= {302, 409}, statuses
    winners = Counter((r, s) for r, s, status in outcomes if status == 302)
    assert winners == {(r, s): 1 for r in range(rounds) for s in range(slots_per_round)}
    held = Booking.objects.filter(teacher=teacher, status=BookingStatus.HELD)
    assert held.count() == rounds * slots_per_round
    with connection.cursor() as cursor:
        cursor.execute(OVERLAP_SQL)
        assert cursor.fetchone()[0] == 0
