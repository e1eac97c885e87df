"""No personal data in logs or error bodies: canary values seeded through a whole journey.

Every value a person types in this journey carries a distinctive marker word (a canary). While the
journey runs through the real HTTP test client, every log record of every logger is kept (root at
DEBUG, Django's request, security and server loggers, axes, gunicorn), and so is every response and
anything written to the standard streams. Then:

- no canary is in any log message, its arguments, its exception text or any other record field;
- no canary is in any error body (404, 500, the API's 4xx answers, the lock-out page);
  a form page that answers 400 may show its own author what they typed, never a password;
- passwords and tokens are in no body at all;
- the audit trail holds no free text, password, token or email; a username only as the acting
  account's label (docs/security.md, "Audit trail").

The journey runs with DEBUG off, as in production: the 500 comes from a service made to fail.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from smtplib import SMTPRecipientsRefused
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from carepath.accounts.models import User
from carepath.audit.models import AuditEvent
from carepath.referrals.models import HandOff, Referral
from tests.referral_setup import keep_check_in, keep_plan, peer_profile, professional_profile
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

# Marker words: letters and digits only, so no escaping, quoting or URL-encoding can hide them.
USERNAME = "cnryuser4821"
DISPLAY_NAME = "Cnryshown4821"
EMAIL = "cnrymail4821@example.org"
PASSWORD = "cnrypass4821 tide lantern orchard"
WRONG_PASSWORD = "cnrywrong4821 lantern"
GHOST_USERNAME = "cnryghost4821"
GHOST_EMAIL = "cnryghostmail4821@example.org"
TOKEN = "cpat_cnrytoken4821AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
PLAN = "cnryplan4821"
WISH = "cnrywish4821"
PROFILE = "cnryprofile4821"
NOTE = "cnrynote4821"
DECLINE = "cnrydecline4821"
ENDING = "cnryending4821"
HAND_OFF = "cnryhandoff4821"
INVALID = "cnryinvalid4821"
CRASH = "cnrycrash4821"
MISSING = "cnrymissing4821"

SECRETS = [PASSWORD.split(maxsplit=1)[0], WRONG_PASSWORD.split(maxsplit=1)[0], TOKEN[5:18]]
IDENTITY = [
    USERNAME,
    DISPLAY_NAME,
    EMAIL.split("@", maxsplit=1)[0],
    GHOST_USERNAME,
    GHOST_EMAIL.split("@", maxsplit=1)[0],
]
FREE_TEXT = [PLAN, WISH, PROFILE, NOTE, DECLINE, ENDING, HAND_OFF, INVALID, CRASH, MISSING]
EVERY_CANARY = SECRETS + IDENTITY + FREE_TEXT

WATCHED_LOGGERS = [
    "django",
    "django.request",
    "django.security",
    "django.security.csrf",
    "django.server",
    "axes",
    "gunicorn",
    "gunicorn.error",
    "gunicorn.access",
    "carepath",
]


def found(text: str, canaries: list[str]) -> list[str]:
    lowered = text.casefold()
    return [canary for canary in canaries if canary.casefold() in lowered]


# --- what is captured ---------------------------------------------------------------------------


def record_text(record: logging.LogRecord) -> str:
    """What a handler or formatter writes out: message, arguments, exception, plain extra fields."""
    parts = [f"{record.name} {record.levelname}"]
    try:
        parts.append(record.getMessage())
    except (TypeError, ValueError):  # arguments that do not fit the message: keep both raw
        parts.append(str(record.msg))
    parts.append(repr(record.args))
    if record.exc_info and record.exc_info[1] is not None:
        parts.append("".join(traceback.format_exception(record.exc_info[1])))
    parts.extend(str(value) for value in (record.exc_text, record.stack_info) if value)
    # Extra fields a formatter could name (`%(status_code)s`). Objects such as django.request's
    # `request` are left out: no handler of ours writes them (docs/security.md says why not to).
    standard = set(vars(logging.makeLogRecord({})))
    parts.extend(
        f"{key}={value!r}"
        for key, value in vars(record).items()
        if key not in standard and isinstance(value, str | int | float | list | tuple | dict)
    )
    return "\n".join(parts)


class KeepEverything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: dict[int, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        self.records.setdefault(id(record), record_text(record))


@dataclass(frozen=True)
class Answer:
    method: str
    path: str
    sent: str  # what the request carried: path, query string and body
    status: int
    body: str


@dataclass
class Capture:
    logs: KeepEverything
    responses: list[Answer] = field(default_factory=list)

    def log_lines(self) -> list[str]:
        return list(self.logs.records.values())


@pytest.fixture
def capture() -> Iterator[Capture]:
    handler = KeepEverything()
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in WATCHED_LOGGERS)]
    # Loggers that do not pass records up to the root get the handler too (django.server does not).
    loggers += [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    root = logging.getLogger()
    before = [(logger, logger.disabled) for logger in loggers]
    root_level = root.level
    # The root at DEBUG, as with LOG_LEVEL=DEBUG; loggers the settings hold at a level of their own
    # (because their debug lines carry what people typed) keep it: that is the setting under test.
    root.setLevel(logging.DEBUG)
    for logger in loggers:
        logger.disabled = False
        logger.addHandler(handler)
    try:
        yield Capture(handler)
    finally:
        root.setLevel(root_level)
        for logger, disabled in before:
            logger.removeHandler(handler)
            logger.disabled = disabled


class RecordingClient(Client):
    """The test client, keeping every answer it gets for the checks at the end."""

    def __init__(self, capture: Capture, **options: Any) -> None:
        super().__init__(raise_request_exception=False, **options)
        self.capture = capture

    def generic(self, method: str, path: str, data: Any = "", *args: Any, **extra: Any) -> Any:
        self.sent = f"{path} {data!r} {extra.get('QUERY_STRING', '')}"
        return super().generic(method, path, data, *args, **extra)

    def request(self, **request: Any) -> Any:
        response = super().request(**request)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        method, path = request.get("REQUEST_METHOD", "GET"), request.get("PATH_INFO", "")
        self.capture.responses.append(
            Answer(
                method, path, getattr(self, "sent", ""), response.status_code, body.decode(errors="replace")
            )
        )
        return response


# --- the journey --------------------------------------------------------------------------------


def sign_up(capture: Capture) -> tuple[RecordingClient, User]:
    client = RecordingClient(capture)
    form = {"username": USERNAME, "display_name": DISPLAY_NAME, "email": EMAIL}
    refused = client.post("/accounts/signup/", {**form, "password": PASSWORD, "password_again": "other"})
    assert refused.status_code == 400
    made = client.post("/accounts/signup/", {**form, "password": PASSWORD, "password_again": PASSWORD})
    assert made.status_code == 302, "sign-up failed"
    return client, User.objects.get(username=USERNAME)


def check_in_with_risk(client: RecordingClient) -> None:
    answers = {f"phq9_{n}": "1" for n in range(1, 9)} | {"phq9_9": "2"}
    response = client.post(
        "/check-in/questions/", {"instrument": "phq9", "in_danger": "no", "keep": "yes", **answers}
    )
    assert response.status_code == 200


def safety_plan(client: RecordingClient) -> None:
    steps = {
        "warning_signs": f"Not sleeping {PLAN}",
        "coping_on_my_own": f"A walk by the river {PLAN}",
        "people_and_places": f"The library {PLAN}",
        "people_to_ask": f"My sister {PLAN}",
        "professionals_and_lines": f"My GP {PLAN}",
        "safer_surroundings": f"Keep tablets with a friend {PLAN}",
    }
    assert client.post("/safety-plan/", {**steps, "action": "save"}).status_code == 302
    too_long = client.post("/safety-plan/", {**steps, "warning_signs": PLAN * 400, "action": "save"})
    assert too_long.status_code == 400


def matching_wishes(client: RecordingClient) -> None:
    form = {
        "topics": ["anxiety"],
        "languages": ["en"],
        "days": ["TU"],
        "time_from": "18:00",
        "time_to": "20:00",
        "utc_offset": "+00:00",
        "modalities": ["online"],
        "experience": f"Panic at work {WISH}",
        "stated_preferences": f"Someone older {WISH}",
    }
    assert client.post("/matches/", form).status_code == 302
    refused = client.post("/matches/", {**form, "utc_offset": INVALID, "time_from": INVALID})
    assert refused.status_code == 400


def supporter_profile(capture: Capture, peer: User) -> None:
    client = RecordingClient(capture)
    sign_in(client, peer)
    form = {
        "topics": ["anxiety"],
        "experience": f"Years of panic attacks {PROFILE}",
        "shared_identity": f"A parent {PROFILE}",
        "languages": ["en"],
        "modalities": ["online"],
        "days": ["MO"],
        "time_from": "19:00",
        "time_to": "21:00",
        "utc_offset": "+00:00",
        "capacity": "3",
        "current_load": "0",
        "active": "on",
        "training": f"Peer course {PROFILE}",
        "trained_on": "2025-05-01",
        "certification": "",
        "certified_on": "",
        "supervisor_name": f"Jo {PROFILE}",
        "confidentiality_statement": f"Private unless someone is at risk {PROFILE}",
        "service_id": "",
    }
    assert client.post("/supporter/profile/", form).status_code == 302


def referral_journey(capture: Capture, person: User, peer: User, professional: User) -> None:
    """Asking, declining with a reason, then an accepted relationship: notes, a hand-off, an end."""
    seeker = RecordingClient(capture)
    sign_in(seeker, person)
    supporter = RecordingClient(capture)
    sign_in(supporter, peer)
    # The confirm value says the supporter's confidentiality notice was shown first.
    ask = {"kind": "peer", "profile": str(peer.peer_supporter_profile.pk), "confirm": "read"}
    assert seeker.post("/support/ask/", ask).status_code == 302
    first = Referral.objects.get(person=person, status="requested")
    declined = supporter.post(
        f"/api/v1/referrals/{first.pk}/decline", {"reason": DECLINE}, content_type="application/json"
    )
    assert declined.status_code == 200
    assert seeker.post("/support/ask/", ask).status_code == 302
    second = Referral.objects.get(person=person, status="requested")
    assert supporter.post(f"/supporting/{second.pk}/accept/").status_code == 302
    today = timezone.localdate().isoformat()
    contact = {"happened_on": today, "channel": "phone", "minutes": "20", "note": f"Talked {NOTE}"}
    assert supporter.post(f"/supporting/{second.pk}/contacts/", contact).status_code == 302
    wrong = {"happened_on": INVALID, "channel": INVALID, "minutes": INVALID, "note": NOTE}
    assert supporter.post(f"/supporting/{second.pk}/contacts/", wrong).status_code == 400
    api_wrong = supporter.post(
        f"/api/v1/referrals/{second.pk}/contacts", wrong, content_type="application/json"
    )
    assert api_wrong.status_code == 422
    bad_channel = {**contact, "channel": INVALID, "minutes": 20}
    refused = supporter.post(
        f"/api/v1/referrals/{second.pk}/contacts", bad_channel, content_type="application/json"
    )
    assert refused.status_code in {400, 422}
    hand_off = {
        "hand_off-professional": str(professional.professional_profile.pk),
        "hand_off-reason": HAND_OFF,
    }
    assert supporter.post(f"/supporting/{second.pk}/hand-off/", hand_off).status_code == 302
    assert HandOff.objects.filter(peer_referral=second, status="asked").exists()
    assert seeker.get(f"/support/{second.pk}/").status_code == 200
    assert seeker.post(f"/support/{second.pk}/end/", {"end-reason": ENDING}).status_code == 302


def failed_log_ins(capture: Capture) -> None:
    client = RecordingClient(capture)
    ghost = client.post("/accounts/login/", {"username": GHOST_USERNAME, "password": WRONG_PASSWORD})
    assert ghost.status_code == 200
    # Five wrong passwords lock the account name out; the fifth answers with the lock-out page.
    statuses = [
        client.post("/accounts/login/", {"username": USERNAME, "password": WRONG_PASSWORD}).status_code
        for _ in range(5)
    ]
    assert statuses[-1] == 429


def password_resets(capture: Capture) -> None:
    client = RecordingClient(capture)
    for address in (EMAIL, GHOST_EMAIL):
        assert client.post("/accounts/password/reset/", {"email": address}).status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]  # sent only to a known address


def api_calls(capture: Capture, person: User) -> None:
    stranger = RecordingClient(capture, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert stranger.get("/api/v1/assessments").status_code == 401
    assert stranger.get("/hsds/services").status_code == 401
    client = RecordingClient(capture)
    sign_in(client, person)
    invalid = {"instrument": "phq9", "answers": {INVALID: INVALID, "phq9_1": INVALID}}
    for url in ("/api/v1/assessments", "/api/v1/instruments/phq9/score"):
        response = client.post(url, invalid, content_type="application/json")
        assert 400 <= response.status_code < 500, url
    wishes = {"languages": [INVALID], "topics": [INVALID], "utc_offset": INVALID, "experience": INVALID}
    assert client.post("/api/v1/matches/suggest", wishes, content_type="application/json").status_code == 422
    garbled = client.post("/api/v1/assessments", f'{{"answers": "{INVALID}', content_type="application/json")
    assert 400 <= garbled.status_code < 500


def not_found(capture: Capture, person: User) -> None:
    client = RecordingClient(capture)
    sign_in(client, person)
    assert client.get(f"/support/999999/?q={MISSING}").status_code == 404
    assert client.post("/support/999999/end/", {"end-reason": MISSING}).status_code == 404
    assert client.get(f"/api/v1/referrals/999999?q={MISSING}").status_code == 404
    assert client.get(f"/no-such-page/?name={MISSING}").status_code == 404


def server_errors(capture: Capture, person: User) -> None:
    """A service that fails half-way, as a database error would: the page says sorry, the log says where."""
    client = RecordingClient(capture)
    sign_in(client, person)
    failure = RuntimeError("a deliberate failure in the canary test")
    with mock.patch("carepath.safety.services.save_safety_plan", side_effect=failure):
        response = client.post("/safety-plan/", {"warning_signs": CRASH, "action": "save"})
    assert response.status_code == 500
    with mock.patch("carepath.screening.services.save_assessment", side_effect=failure):
        answers = {f"phq9_{n}": 0 for n in range(1, 10)}
        response = client.post(
            "/api/v1/assessments",
            {"instrument": "phq9", "answers": answers, "note": CRASH},
            content_type="application/json",
        )
    assert response.status_code == 500


def notice_email_fails(capture: Capture, person: User, peer: User, on_commit: Any) -> None:
    """The mail server refuses the person's address: the warning must not name it."""
    refused = SMTPRecipientsRefused({EMAIL: (550, b"no such mailbox")})
    seeker = RecordingClient(capture)
    sign_in(seeker, person)
    supporter = RecordingClient(capture)
    sign_in(supporter, peer)
    ask = {"kind": "peer", "profile": str(peer.peer_supporter_profile.pk), "confirm": "read"}
    with mock.patch("carepath.referrals.services.notices.send_mail", side_effect=refused):
        with on_commit(execute=True):
            assert seeker.post("/support/ask/", ask).status_code == 302
        waiting = Referral.objects.get(person=person, status="requested")
        with on_commit(execute=True):
            assert supporter.post(f"/supporting/{waiting.pk}/decline/", {}).status_code == 302


# --- the test -----------------------------------------------------------------------------------


def test_no_canary_reaches_a_log_an_error_body_or_the_audit_trail(
    capture: Capture,
    personas: dict[str, Any],
    settings: Any,
    capfd: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.DEBUG = False
    settings.CAREPATH_API_RATE_ANONYMOUS = settings.CAREPATH_API_RATE_SIGNED_IN = 1_000_000
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    peer, professional = personas["peer_supporter"], personas["professional"]
    peer_profile(peer, capacity=3)
    professional_profile(professional)

    client, person = sign_up(capture)
    check_in_with_risk(client)
    safety_plan(client)
    matching_wishes(client)
    supporter_profile(capture, peer)
    keep_check_in(person)
    keep_plan(person)
    referral_journey(capture, person, peer, professional)
    failed_log_ins(capture)
    password_resets(capture)
    api_calls(capture, person)
    not_found(capture, person)
    server_errors(capture, person)
    notice_email_fails(capture, person, peer, django_capture_on_commit_callbacks)

    assert_logs_hold_no_canary(capture, capfd)
    assert_error_bodies_hold_no_canary(capture)
    assert_audit_trail_holds_no_canary()


def assert_logs_hold_no_canary(capture: Capture, capfd: Any) -> None:
    lines = capture.log_lines()
    assert any("Internal Server Error" in line for line in lines), "the 500s were not logged at all"
    assert any("axes" in line for line in lines), "axes logged nothing: is the capture working?"
    leaks = [(found(line, EVERY_CANARY), line) for line in lines if found(line, EVERY_CANARY)]
    assert not leaks, "personal data in log records:\n" + "\n---\n".join(f"{c}: {line}" for c, line in leaks)
    streams = capfd.readouterr()
    assert not found(streams.out + streams.err, EVERY_CANARY), "personal data written to stdout/stderr"


def assert_error_bodies_hold_no_canary(capture: Capture) -> None:
    statuses = {answer.status for answer in capture.responses}
    assert {400, 401, 404, 422, 429, 500} <= statuses, statuses
    problems = []
    for answer in capture.responses:
        where = f"{answer.method} {answer.path} {answer.status}"
        if found(answer.body, SECRETS):
            problems.append(f"{where} shows a password or token: {found(answer.body, SECRETS)}")
        if answer.status < 400:
            continue
        if answer.status == 400 and answer.body.lstrip().startswith("<!doctype html>"):
            continue  # a refused form, sent back to the person who filled it in, with what they may see
        # A refused API call may tell its sender what was wrong with what they sent (never a
        # password, checked above); no other error answer quotes anything.
        own_input = found(answer.sent, EVERY_CANARY) if answer.status in {400, 422} else []
        echoed = [canary for canary in found(answer.body, EVERY_CANARY) if canary not in own_input]
        if echoed:
            problems.append(f"{where} echoes {echoed}: {answer.body[:300]}")
    assert not problems, "\n".join(problems)


def assert_audit_trail_holds_no_canary() -> None:
    events = list(AuditEvent.objects.order_by("sequence"))
    assert events, "the journey wrote no audit events"
    for event in events:
        stored = json.dumps(
            {
                "details": event.details,
                "subject": [event.subject_type, event.subject_id],
                "actor_ref": event.actor_ref,
            },
            default=str,
        )
        assert not found(stored, EVERY_CANARY), (event.action, stored)
        # The acting account's username is its label today (docs/security.md); nothing else may be.
        assert not found(event.actor_label, [c for c in EVERY_CANARY if c != USERNAME]), event.actor_label


def test_the_server_access_log_keeps_no_query_string_address_referrer_or_browser() -> None:
    """`carepath serve` runs gunicorn with its own access-log format (carepath.cli)."""
    import datetime as dt
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    from carepath.cli import ACCESS_LOG_FORMAT

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/find/?q={WISH}&near={MISSING}",
        "PATH_INFO": "/find/",
        "QUERY_STRING": f"q={WISH}&near={MISSING}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.74",
        "HTTP_REFERER": f"https://carepath.example/audit/?actor={USERNAME}",
        "HTTP_USER_AGENT": f"Browser {DISPLAY_NAME}",
    }
    answer = SimpleNamespace(status="200 OK", headers=[], sent=1234)
    request = SimpleNamespace(headers=[("USER-AGENT", environ["HTTP_USER_AGENT"])])
    atoms = Logger(Config()).atoms(answer, request, environ, dt.timedelta(milliseconds=12))
    line = ACCESS_LOG_FORMAT % atoms
    assert '"GET /find/ HTTP/1.1" 200 1234 12ms' in line
    assert not found(line, EVERY_CANARY) and "203.0.113.74" not in line
