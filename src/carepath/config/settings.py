"""Carepath settings: every value comes from the environment, read here and nowhere else.

Environment variables:
  CAREPATH_ENV      development (default) or production
  SECRET_KEY        required in production; generated once under var/ otherwise
  DATABASE_URL      default sqlite:///<var>/carepath.sqlite3; postgres://… for PostgreSQL
  DEBUG             off by default
  ALLOWED_HOSTS     comma-separated; defaults to localhost names outside production
  CAREPATH_REGION   the crisis-help region shown by default (e.g. US, GB-ENG, AU); INTL if unset
  CAREPATH_CASENESS_CUTOFFS  local screening cut-offs, e.g. phq2:2 (default: the published ones)
  CAREPATH_VAR_DIR  where the embedded database and generated secret live (default ./var)
  CAREPATH_STALE_LISTING_DAYS  days after its last check that a directory listing is flagged stale (180)
  CAREPATH_CHECKIN_DAYS  days without a check-in before an open episode gets a reminder (14)
  CAREPATH_SUPPRESS_BELOW  counts under this are withheld from programme reports and exports (5)
  CAREPATH_TIME_ZONE  default time zone for directory opening hours and "open now" (Europe/London)
  EMAIL_BACKEND     default: print emails to the console
  CAREPATH_STAFF_IDLE_MINUTES  minutes without activity before a staff sign-in ends (30)
  CAREPATH_API_RATE_ANONYMOUS  API requests a minute per address without a login or token (120)
  CAREPATH_API_RATE_SIGNED_IN  API requests a minute per API token or signed-in account (600)
  CAREPATH_CACHE_URL  locmem:// (default, per process), db://TABLE or redis://HOST:PORT/N
  CAREPATH_PROXY_COUNT  reverse proxies of our own in front of the app that add X-Forwarded-For (0)
  CAREPATH_ENCRYPTION_KEYS  Fernet keys for sensitive free text, newest first, comma-separated;
                    required in production; generated once under var/ otherwise
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from carepath.config.environment import (
    cache_config,
    cutoff_overrides,
    flag,
    host_list,
    is_production,
    secret_key,
    time_zone,
    whole_number,
)
from carepath.encryption.keys import keys_from_environment

ENV = os.environ
PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(ENV.get("CAREPATH_VAR_DIR", str(Path.cwd() / "var"))).resolve()

PRODUCTION = is_production(ENV)
DEBUG = flag(ENV, "DEBUG", default=False)
SECRET_KEY = secret_key(ENV, PRODUCTION, VAR_DIR)
# Sensitive free text is encrypted at rest with these (carepath.encryption); never in the database.
CAREPATH_ENCRYPTION_KEYS = keys_from_environment(ENV, PRODUCTION, VAR_DIR)
ALLOWED_HOSTS = host_list(ENV, "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CAREPATH_REGION = ENV.get("CAREPATH_REGION", "INTL").strip() or "INTL"
# Local screening cut-offs, e.g. "phq2:2" where a service prefers case-finding sensitivity.
CAREPATH_CASENESS_CUTOFFS = cutoff_overrides(ENV, "CAREPATH_CASENESS_CUTOFFS")
# A listing not checked (assured) or changed for this many days is flagged stale to coordinators.
CAREPATH_STALE_LISTING_DAYS = whole_number(
    ENV, "CAREPATH_STALE_LISTING_DAYS", default=180, minimum=1, maximum=3650
)
# An open episode of support with no check-in for this many days gets a reminder (remind-due).
CAREPATH_CHECKIN_DAYS = whole_number(ENV, "CAREPATH_CHECKIN_DAYS", default=14, minimum=1, maximum=365)
# Programme reports withhold counts of people under this number (and the rates built on them).
CAREPATH_SUPPRESS_BELOW = whole_number(ENV, "CAREPATH_SUPPRESS_BELOW", default=5, minimum=1, maximum=1000)
# Where "open now" is read when a search names no time zone, and the hours of schedules without an offset.
CAREPATH_TIME_ZONE = time_zone(ENV, "CAREPATH_TIME_ZONE", default="Europe/London")
# How peer matching compares people's own words: "auto" (by meaning when the optional embeddings
# extra is installed, else by shared words), "lexical" or "embeddings" (docs/matching.md).
CAREPATH_EXPERIENCE_SCORER = ENV.get("CAREPATH_EXPERIENCE_SCORER", "auto").strip() or "auto"

INSTALLED_APPS = [
    "carepath.web.admin_site.CarepathAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "csp",
    # Two-factor sign-in: app codes (TOTP). Recovery codes are carepath.accounts' own, kept hashed;
    # otp_static stays installed only for the migration that moved its plain codes to hashes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Listed so the API's documentation page is served from its own static files, not from a CDN.
    "ninja",
    "carepath.audit",
    "carepath.accounts",
    "carepath.directory",
    "carepath.crisis",
    "carepath.screening",
    "carepath.safety",
    "carepath.decision",
    "carepath.matching",
    "carepath.outcomes",
    "carepath.referrals",
    "carepath.encryption",
    "carepath.sharing",
    "carepath.web",
    "carepath.demo",
    "carepath.rights",
    "carepath.backup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before everything that can answer by itself (static files, lock-out, rate limits), so that
    # every response carries the policy.
    "csp.middleware.CSPMiddleware",
    "carepath.web.security.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # PostgreSQL refuses text with NUL in it; such a request is refused before any query is built.
    "carepath.web.null_bytes.RefuseNullBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "carepath.web.idle_timeout.StaffIdleTimeoutMiddleware",
    "carepath.accounts.token_auth.ApiTokenMiddleware",
    # After the idle time-out (a timed-out session is simply signed out) and after the API token
    # check (token requests are not sessions and pass untouched).
    "carepath.web.two_factor_required.TwoFactorRequiredMiddleware",
    "carepath.web.throttling.ApiThrottleMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "carepath.config.urls"
WSGI_APPLICATION = "carepath.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carepath.web.context_processors.page_frame",
                "carepath.referrals.context_processors.unread_notices",
            ],
        },
    },
]

# SQLite only: each connection's page cache in MiB (SQLite's own default is 2).
CAREPATH_SQLITE_CACHE_MIB = whole_number(
    ENV, "CAREPATH_SQLITE_CACHE_MIB", default=64, minimum=2, maximum=4096
)

DATABASES = {
    "default": dj_database_url.parse(
        ENV.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'carepath.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once under several server workers; IMMEDIATE
    # transactions take the write lock up front instead of failing half-way with "locked".
    # The page cache (SQLite's default is 2 MiB) is 64 MiB per connection, and a server worker keeps
    # its connection from one request to the next (CONN_MAX_AGE above, as on PostgreSQL), so the
    # pages every search reads (the upper levels of the text index and of the search tables) stay
    # decoded in the worker instead of being read again and the schema parsed again per request
    # (docs/search.md, "Web workers"). Autocommit holds no read transaction between
    # requests, so a kept connection does not hold back WAL checkpoints.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            f"PRAGMA cache_size=-{CAREPATH_SQLITE_CACHE_MIB * 1024};"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and flag(
    ENV, "CAREPATH_PREPARED_STATEMENTS", default=True
):
    # Django turns psycopg's prepared statements off so that transaction-pooling proxies work; the
    # directory search prepares its own queries (directory/selectors/prepared.py). Behind a proxy
    # that cannot keep them (PgBouncer before 1.21, or without max_prepared_statements), set
    # CAREPATH_PREPARED_STATEMENTS=off.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
# PostgreSQL only: whether queries may be compiled to machine code (JIT). Off: it cost about 20 ms
# on short searches the planner overestimates (carepath/directory/database_session.py).
CAREPATH_POSTGRES_JIT = flag(ENV, "CAREPATH_POSTGRES_JIT", default=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "role_home"

# The name authenticator apps show beside the account (two-factor sign-in, carepath.accounts).
OTP_TOTP_ISSUER = "Carepath"
# django-otp's device pages are taken out of the admin (carepath.accounts.two_factor_admin); should
# they ever come back, they never show a device's secret or its QR code, not even to a superuser.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Lock an account name at one address after five failures for an hour; the page says so plainly.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The same client address as the API rate limits, so both work behind reverse proxies.
AXES_CLIENT_IP_CALLABLE = "carepath.web.requester.client_address"

# Messages live in a signed cookie so pages (crisis help above all) never need the database for them.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

EMAIL_BACKEND = ENV.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = ENV.get("DEFAULT_FROM_EMAIL", "Carepath <no-reply@carepath.invalid>")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Outside production whitenoise serves straight from the app folders, so no collectstatic step.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Pages use only the site's own stylesheet and no scripts; charts are inline SVG styled by that
# stylesheet (no style attributes). The API documentation page loads its scripts from /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Staff sign-ins (peer supporters, professionals, coordinators) end after this long without a request.
CAREPATH_STAFF_IDLE_MINUTES = whole_number(
    ENV, "CAREPATH_STAFF_IDLE_MINUTES", default=30, minimum=1, maximum=24 * 60
)
# API requests a minute (carepath.web.throttling); counted in the default cache.
CAREPATH_API_RATE_ANONYMOUS = whole_number(
    ENV, "CAREPATH_API_RATE_ANONYMOUS", default=120, minimum=1, maximum=1_000_000
)
CAREPATH_API_RATE_SIGNED_IN = whole_number(
    ENV, "CAREPATH_API_RATE_SIGNED_IN", default=600, minimum=1, maximum=1_000_000
)
CAREPATH_PROXY_COUNT = whole_number(ENV, "CAREPATH_PROXY_COUNT", default=0, minimum=0, maximum=5)
# One cache per process by default; several server processes need a shared one for the rate limits.
CACHES = {"default": cache_config(ENV, "CAREPATH_CACHE_URL")}
CSRF_FAILURE_VIEW = "carepath.web.views.csrf_failure"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = flag(ENV, "SECURE_SSL_REDIRECT", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": ENV.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every layout step at INFO; only its warnings are worth a log line.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
