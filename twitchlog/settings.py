"""TwitchLog settings: one file, every knob an environment variable.

Each variable has a safe default for local use and is documented in README.md
(Configuration) and .env.example. DEBUG is off unless asked for; with DEBUG off
the app will not start without a SECRET_KEY.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# pytest (8.2+) sets PYTEST_VERSION while it runs: tests use DEBUG off with a throwaway key.
TESTING = "PYTEST_VERSION" in os.environ

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: set the SECRET_KEY environment variable to a long "
            "random string, or set DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-key-for-local-development-and-tests-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "accounts",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "journal",
    "api",
    "webapp",
    "reminders",
    "sharing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages shrink about fivefold on a phone's connection. Django pads each compressed
    # response with random bytes against BREACH, and CSRF tokens are masked per page.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "journal.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SessionActivityMiddleware",
    "journal.middleware.TimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "journal.middleware.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "journal.middleware.PermissionsPolicyMiddleware",
    "webapp.middleware.ClearOnSignOutMiddleware",
]

ROOT_URLCONF = "twitchlog.urls"

# Messages ("Saved: Left eyelid at 09:00") say what is in the journal: they wait in the
# session on the server, not in a cookie the browser keeps.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "journal.context_processors.navigation",
                "accounts.context_processors.account_security",
                "webapp.context_processors.appearance",
                "webapp.context_processors.queue_owner",
            ],
        },
    },
]

WSGI_APPLICATION = "twitchlog.wsgi.application"
ASGI_APPLICATION = "twitchlog.asgi.application"

# SQLite by default (zero setup); DATABASE_URL selects PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{os.environ.get('SQLITE_PATH', BASE_DIR / 'db.sqlite3')}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # A writer waits this many seconds for another's transaction before giving up:
        # a busy database is not an outage.
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        # Each transaction takes the write lock when it begins, so two writers queue
        # behind each other instead of one failing at once on upgrading its read lock.
        "transaction_mode": "IMMEDIATE",
        # Readers and one writer work at the same time (write-ahead log); NORMAL sync is
        # safe with WAL and spares a disk flush on every commit.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files when DEBUG is off; plain files while developing.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: SMTP when EMAIL_HOST is set. Printing emails to the console puts every sign-in
# and password-reset link in the server's log, where whoever reads the log could take
# the account: with DEBUG off it must be asked for (EMAIL_BACKEND=console, local use only).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "TwitchLog <noreply@localhost>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
_EMAIL_CHOICE = os.environ.get("EMAIL_BACKEND", "").strip().lower() or (
    "smtp" if EMAIL_HOST else ""
)
if _EMAIL_CHOICE == "smtp":
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif _EMAIL_CHOICE == "console" or (not _EMAIL_CHOICE and (DEBUG or TESTING)):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif _EMAIL_CHOICE:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND={_EMAIL_CHOICE} is not known: use smtp (with EMAIL_HOST) or "
        "console (for local use only)."
    )
else:
    raise ImproperlyConfigured(
        "No way to send email is set: set EMAIL_HOST to your mail server, or "
        "EMAIL_BACKEND=console to print emails, password-reset links included, to the "
        "log (for local use only)."
    )

# The address people open the app at, for links in emails sent outside a request (the
# daily reminders): scheme and host, no trailing slash.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# HTTPS: off for local use; SECURE_SSL=true turns on every setting that assumes it.
SECURE_SSL = env_bool("SECURE_SSL")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_SSL)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", SECURE_SSL)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SECURE_SSL)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SECURE_SSL else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_SSL)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_SSL)
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Content-Security-Policy: our own files only, no inline script or style.
CHARTJS_URL = os.environ.get("CHARTJS_URL", "")
CHARTJS_INTEGRITY = os.environ.get("CHARTJS_INTEGRITY", "")
_script_src = ["'self'"] + ([CHARTJS_URL] if CHARTJS_URL else [])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": _script_src,
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The cache: Redis when REDIS_URL is set, shared by every worker process (the sign-in
# and email throttles count there, so a deployment with several processes needs it);
# otherwise each process keeps its own in memory, which suits a single process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "twitchlog"),
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
}

# The API (/api/v1/, Django REST framework): personal access tokens or the browser's
# session, JSON only. API_RATE is the number of requests one token may make (per
# second, minute, hour or day); API_MAX_BODY_BYTES bounds a request's JSON body.
API_RATE = os.environ.get("API_RATE", "120/minute")
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(64 * 1024)))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.LimitedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TwitchLog API",
    # Markdown: the first part of the interactive documentation page (/api/docs/).
    "DESCRIPTION": (
        "Log and read your own journal from phone shortcuts, watches and home "
        "automation.\n\n"
        "## Getting started\n\n"
        "1. Create a token in [Settings, under Apps and shortcuts]"
        "(/settings/#apps-and-shortcuts). A `read` token only reads; a `read+write` "
        "token can also log and change entries.\n"
        "2. Send it with every request: `Authorization: Bearer tl_...`. Here, choose "
        "**Authorize** and paste it to try each address.\n\n"
        "Entries use codes, not labels: every code is listed at `/api/v1/vocabulary/`. "
        "Times are ISO 8601 with an offset, and every entry carries the local date it "
        "belongs to. Values are checked exactly as the app's own forms check them; a "
        "value that needs fixing is a 400 naming the field and the reason."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    # Intensity and severity share the codes 1-3: one named enum in the schema.
    "ENUM_NAME_OVERRIDES": {"OneToThreeEnum": [(1, 1), (2, 2), (3, 3)]},
}

# Per-person limits on the heavy work (journal.limits), "count/period" with the period in
# s, m, h or d: files checked for import, doctor's PDFs, and journal downloads (CSV or
# JSON, from the pages and the API together). Over a limit: a calm 429 saying when.
PERSON_LIMITS = {
    "import": os.environ.get("IMPORT_LIMIT", "10/h"),
    "pdf": os.environ.get("PDF_LIMIT", "10/h"),
    "export": os.environ.get("EXPORT_LIMIT", "10/h"),
}
for _work, _rate in PERSON_LIMITS.items():
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", _rate):
        raise ImproperlyConfigured(
            f"{_work.upper()}_LIMIT={_rate} is not a limit: write a count and a period, "
            "such as 10/h (s, m, h or d)."
        )
# The doctor's PDF lists every entry only when asked ("include every entry"), and then at
# most this many, the latest, saying how many it left out: a dense year is about 7,000
# entries, some 140 pages, which no one reads.
REPORT_EVERY_ENTRY_CAP = int(os.environ.get("REPORT_EVERY_ENTRY_CAP", "5000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A request failed by an unreachable or busy database is one line, not a traceback:
    # during an outage every request fails alike (journal.faults).
    "filters": {"database_faults": {"()": "journal.faults.DatabaseFaultFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["database_faults"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# ---------------------------------------------------------------------------------------
# Accounts (django-allauth and the `accounts` app): sign-up with a confirmed email,
# throttles, two-step sign-in, sessions and the account activity list.
# ---------------------------------------------------------------------------------------
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# A new account confirms its email before its first sign-in, and sign-up and reset
# answer alike whether or not the address has an account: the email tells the owner.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "TwitchLog: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE_SSL else "http"
# Sign-in asks "Keep me signed in on this device": yes keeps the session for the idle
# time below, no ends it when the browser closes.
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "journal.forms.SignUpForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
}
# The PDF, the exports, account deletion and two-step changes ask for the password
# again when the last sign-in is older than this.
REAUTHENTICATION_MINUTES = int(os.environ.get("REAUTHENTICATION_MINUTES", "15"))
ACCOUNT_REAUTHENTICATION_TIMEOUT = REAUTHENTICATION_MINUTES * 60
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
# A session unused for this long ends, remembered or not (each use renews it).
SESSION_IDLE_DAYS = int(os.environ.get("SESSION_IDLE_DAYS", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_DAYS * 24 * 60 * 60
# How many proxies in front add to X-Forwarded-For (0: the address is the connection's).
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Throttles ("count/period/per": per address, per user, or per key). Each answers a
# calm page or message saying when to try again. Failed sign-ins count per address
# across accounts and per account across addresses ("login_failed", keyed by the
# email), and per address and account together ("login_failed_pair"). Every password
# check counts as a sign-in attempt: password change, account deletion and
# re-authentication share these limits. Sign-up, reset and email confirmation count
# per address and per lower-cased email.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "20/15m/ip,10/15m/key",
    "login_failed_pair": "5/15m/key",
    "signup": "10/h/ip",
    "signup_email": "3/h/key",
    "reset_password": "5/h/ip,3/h/key",
    "reset_password_from_key": "20/h/ip",
    "confirm_email": "1/3m/key,10/h/ip",
    "change_password": "10/h/user",
    "reauthenticate": "10/15m/user",
    "manage_email": "10/h/user",
    # Opening a shared link (/s/<token>/): per address, so guessing tokens is hopeless.
    "share_lookup": "60/h/ip",
}

MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "TwitchLog"
# One period either side, for a phone clock a few seconds off.
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_FORMS = {
    "activate_totp": "accounts.forms.ActivateAuthenticatorAppForm",
    "authenticate": "accounts.forms.SecondStepForm",
    "reauthenticate": "accounts.forms.ConfirmWithCodeForm",
    "deactivate_totp": "accounts.forms.DeactivateTOTPForm",
    "add_webauthn": "accounts.forms.AddPasskeyForm",
}

# Sessions are listed from allauth's records; the `accounts` middleware notes when each
# was last seen (at most once every few minutes, not on every request).
USERSESSIONS_TRACK_ACTIVITY = False
# The account activity list keeps this many days; `manage.py purge` removes older rows.
ACTIVITY_KEEP_DAYS = int(os.environ.get("ACTIVITY_KEEP_DAYS", "90"))
# One-time keys (the forms' and the API's Idempotency-Key) are kept this many days, so a
# request retried within them still finds its first save; `manage.py purge` removes them.
ONE_TIME_KEY_DAYS = int(os.environ.get("ONE_TIME_KEY_DAYS", "30"))
