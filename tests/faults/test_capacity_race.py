"""Two accepts for a supporter's last place at the same moment: exactly one wins, capacity holds.

Accepting a request takes a place in the supporter's capacity (`referrals.services.referrals`,
`_take_place`) under a lock on the supporter's profile row, held until the transaction ends.
PostgreSQL: two threads with their own connections; the first stops inside its transaction
after taking the place, and the test sees the second waiting on the profile's row lock before
letting the first commit. Without the lock the second would count the load before the first
commits and both would succeed. SQLite: two processes on one database file; BEGIN IMMEDIATE
lets one writer in at a time, and the second, let in after the first commits, finds no room.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from carepath.matching.models import PeerSupporterProfile
from carepath.referrals.models import Referral
from carepath.referrals.services import referrals
from carepath_core.referrals import AtCapacity, Status
from tests.faults.real_databases import RealDatabases, on_postgresql, real_databases  # noqa: F401
from tests.referral_setup import ask_peer, ask_professional, peer_profile, professional_profile

REPO = Path(__file__).resolve().parents[2]


def in_thread(name: str, work: Callable[[], Any], outcomes: dict[str, Any]) -> threading.Thread:
    def run() -> None:
        try:
            outcomes[name] = work()
        except BaseException as error:  # noqa: BLE001 - handed to the test thread to judge
            outcomes[name] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def waiting_on_a_profile_lock() -> int:
    """Backends blocked on a lock while reading a profile: only the locking read ever waits.
    (Matched by its start: pg_stat_activity keeps a query's first 1024 bytes, and a peer profile's
    column list alone is longer, so its FROM and FOR UPDATE are cut off.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE %s",
            ['SELECT "matching\\_%profile".%'],
        )
        return int(cursor.fetchone()[0])


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting until {what}"
        time.sleep(0.02)


def two_requests(personas: dict[str, Any], kind: str) -> tuple[Referral, Referral]:
    if kind == "peer":
        profile = peer_profile(personas["peer_supporter"], capacity=1)
        return ask_peer(personas["help_seeker"], profile), ask_peer(personas["other_help_seeker"], profile)
    pro = professional_profile(personas["professional"], capacity=1)
    return ask_professional(personas["help_seeker"], pro), ask_professional(
        personas["other_help_seeker"], pro
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["peer", "professional"])
def test_the_second_accept_waits_for_the_first_and_then_finds_no_room(
    personas: dict[str, Any], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite is covered by the two-process test below")
    first, second = two_requests(personas, kind)
    took_the_place, may_commit = threading.Event(), threading.Event()
    record_event = referrals.record_event

    def record_then_hold(**details: Any) -> Any:
        event = record_event(**details)
        if threading.current_thread().name == "first":
            took_the_place.set()
            assert may_commit.wait(60)
        return event

    monkeypatch.setattr(referrals, "record_event", record_then_hold)
    outcomes: dict[str, Any] = {}
    threads = [
        in_thread("first", lambda: referrals.accept_request(actor=first.supporter, referral=first), outcomes)
    ]
    try:
        assert took_the_place.wait(30)
        threads.append(
            in_thread(
                "second", lambda: referrals.accept_request(actor=second.supporter, referral=second), outcomes
            )
        )
        wait_until(
            lambda: "second" in outcomes or waiting_on_a_profile_lock() == 1,
            "the second accept waits on the profile's lock",
        )
        assert "second" not in outcomes, f"the second accept did not wait: {outcomes['second']!r}"
    finally:
        may_commit.set()
        for thread in threads:
            thread.join(30)
    assert outcomes["first"].status == Status.ACTIVE.value
    assert isinstance(outcomes["second"], AtCapacity), outcomes["second"]
    assert_one_active(first.supporter_id, kind)


@pytest.mark.django_db(transaction=True)
def test_many_accepts_at_once_never_fill_past_capacity(personas: dict[str, Any], make_account: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("threads share SQLite's in-memory test database; see the two-process test")
    profile = peer_profile(personas["peer_supporter"], capacity=2)
    asked = [ask_peer(make_account(f"seeker-{n}"), profile) for n in range(5)]
    start = threading.Barrier(len(asked))
    outcomes: dict[str, Any] = {}

    def accept(referral: Referral) -> Callable[[], Any]:
        def work() -> Any:
            start.wait(30)
            return referrals.accept_request(actor=referral.supporter, referral=referral)

        return work

    threads = [in_thread(str(referral.pk), accept(referral), outcomes) for referral in asked]
    for thread in threads:
        thread.join(60)
    won = [value for value in outcomes.values() if isinstance(value, Referral)]
    refused = [value for value in outcomes.values() if isinstance(value, AtCapacity)]
    assert (len(won), len(refused)) == (2, 3), outcomes
    profile.refresh_from_db()
    assert profile.current_load == 2
    assert Referral.objects.filter(supporter=profile.user, status=Status.ACTIVE.value).count() == 2


def assert_one_active(supporter_id: int, kind: str) -> None:
    assert Referral.objects.filter(supporter_id=supporter_id, status=Status.ACTIVE.value).count() == 1
    if kind == "peer":
        assert PeerSupporterProfile.objects.get(user_id=supporter_id).current_load == 1


SET_UP = """
import django
django.setup()
from carepath.accounts.models import User
from tests.referral_setup import ask_peer, ask_professional, peer_profile, professional_profile

def account(name, role="help_seeker"):
    user = User(username=name, role=role)
    user.set_unusable_password()
    user.save()
    return user

if "{kind}" == "peer":
    profile = peer_profile(account("peer", "peer_supporter"), capacity=1)
    asked = [ask_peer(account(f"seeker-{{n}}"), profile) for n in (1, 2)]
else:
    profile = professional_profile(account("pro", "professional"), capacity=1)
    asked = [ask_professional(account(f"seeker-{{n}}"), profile) for n in (1, 2)]
print(" ".join(str(referral.pk) for referral in asked))
"""
ACCEPT = """
import sys, time
from pathlib import Path
import django
django.setup()
from carepath.referrals.models import Referral
from carepath.referrals.services import referrals
from carepath_core.referrals import AtCapacity

name, referral_id, signals = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
record_event = referrals.record_event

def record_then_hold(**details):
    event = record_event(**details)
    if name == "first":  # took the place; hold the transaction open while the second one starts
        (signals / "inside").touch()
        time.sleep(2)
    return event

def wait_for(signal):
    while not (signals / signal).exists():
        time.sleep(0.01)

referrals.record_event = record_then_hold
referral = Referral.objects.get(pk=referral_id)
(signals / f"ready-{name}").touch()
# Both started up first; then the second asks while the first holds its transaction open.
wait_for("ready-second" if name == "first" else "inside")
try:
    referrals.accept_request(actor=referral.supporter, referral=referral)
    print("accepted")
except AtCapacity as full:
    print("full:", full)
"""


@pytest.mark.parametrize("kind", ["peer", "professional"])
def test_two_processes_accepting_on_one_sqlite_file_fill_one_place(
    real_databases: RealDatabases,  # noqa: F811
    kind: str,
    tmp_path: Path,
) -> None:
    if on_postgresql():
        pytest.skip("this one is about SQLite files; PostgreSQL has the thread tests above")
    database = real_databases.empty(f"race_{kind}")
    made = subprocess.run(
        [sys.executable, "-c", SET_UP.format(kind=kind)],
        env=database.env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    first_id, second_id = made.stdout.split()

    def accept(name: str, referral_id: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", ACCEPT, name, referral_id, str(tmp_path)],
            env=database.env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    first, second = accept("first", first_id), accept("second", second_id)
    results = [process.communicate(timeout=300) for process in (first, second)]
    assert [process.returncode for process in (first, second)] == [0, 0], results
    assert results[0][0].strip() == "accepted"
    assert results[1][0].startswith("full:")
    active = database.query(
        "SELECT count(*) FROM referrals_referral WHERE status = %s", (Status.ACTIVE.value,)
    )
    assert active[0][0] == 1
    if kind == "peer":
        assert database.query("SELECT current_load, capacity FROM matching_peersupporterprofile") == [(1, 1)]
