"""Petit Talk settings: one module, every knob read from the environment (see README's table)."""

from __future__ import annotations

import secrets
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    parse_email_url,
    s3_media_storage,
    session_engine,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

# A throwaway key is acceptable only for local development; production must be given a real one.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (50+ random characters), "
            "or DEBUG=1 for development."
        )
    SECRET_KEY = "dev-only-" + secrets.token_urlsafe(50)
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("SECRET_KEY is too weak for production: use 50+ random characters.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else ["127.0.0.1", "localhost"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "petittalk.core",
    "petittalk.accounts",
    "petittalk.audit",
    "petittalk.teachers",
    "petittalk.pages",
    "petittalk.staff",
    "petittalk.scheduling",
    "petittalk.bookings",
    "petittalk.reviews",
    "petittalk.offers",
    "petittalk.basket",
    "petittalk.orders",
    "petittalk.payments",
    "petittalk.newsletter",
    "petittalk.community",
    "petittalk.demo",
    "petittalk.dashboards",
    "django.contrib.postgres",
    "django_countries",
]

MIDDLEWARE = [
    "petittalk.core.middleware.RefuseNulInPathMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "petittalk.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "petittalk.core.middleware.PrivateWhenLoggedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "petittalk.core.middleware.ViewerTimezoneMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "petittalk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "petittalk.core.context_processors.site",
                "petittalk.basket.context_processors.basket",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # A new PostgreSQL connection costs ~13 ms of database CPU: production keeps each one for
        # a minute, and the health check drops one the server closed (restart, failover, pooler).
        # DEBUG (runserver, a thread per request) closes them, so none linger after a request.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the writer work side by side; IMMEDIATE takes the write lock at BEGIN,
    # so check-then-insert sequences (bookings) cannot interleave between two requests.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Mandatory, not a knob: only then can a sign-up with a taken address get the very same answer
# as a new one ("check your email"), its owner being mailed instead, so sign-up reveals no
# addresses (allauth's ACCOUNT_PREVENT_ENUMERATION, on by default, needs it for sign-up).
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Petit Talk] "
ACCOUNT_SIGNUP_FORM_CLASS = "petittalk.accounts.forms.SignupDetailsForm"
ACCOUNT_ADAPTER = "petittalk.accounts.adapter.AccountAdapter"
# allauth's defaults already throttle failed logins per account and per IP; made explicit here.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    # Our own action, counted the same way: each sign-up mails the address it names.
    "newsletter_subscribe": "20/m/ip,3/10m/key",
    "testimonial_submit": "10/h/user",
    # Each message mails support and the address it names.
    "contact_message": "10/h/ip,3/h/key",
    # Writing or changing a review, per person: nobody honest rates this often.
    "review_write": "30/m/ip,10/10m/key",
}

# --- Internationalisation and time -------------------------------------------------------------
LANGUAGE_CODE = "en"
# django-countries follows ISO 3166's short names, a few of which are not English ("Naoero",
# "Türkiye", "Bahamas (The)"): the site is in English, so name them as English speakers do.
COUNTRIES_OVERRIDE = {"NR": "Nauru", "TR": "Turkey", "BS": "Bahamas"}
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Hashed, compressed file names need `collectstatic`; tests and DEBUG read straight from the apps.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", default=not DEBUG)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    MEDIA_STORAGE = s3_media_storage(
        bucket=AWS_STORAGE_BUCKET_NAME,
        access_key=env_str("AWS_ACCESS_KEY_ID"),
        secret_key=env_str("AWS_SECRET_ACCESS_KEY"),
        region=env_str("AWS_S3_REGION_NAME"),
        endpoint_url=env_str("AWS_S3_ENDPOINT_URL"),
        custom_domain=env_str("AWS_S3_CUSTOM_DOMAIN"),
    )
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Where uploaded photos and videos are loaded from, for the Content-Security-Policy.
MEDIA_ORIGIN = env_str(
    "MEDIA_ORIGIN",
    (
        f"https://{env_str('AWS_S3_CUSTOM_DOMAIN')}"
        if env_str("AWS_S3_CUSTOM_DOMAIN")
        else env_str("AWS_S3_ENDPOINT_URL") or "https://*.amazonaws.com"
    )
    if AWS_STORAGE_BUCKET_NAME
    else "",
)
SERVE_MEDIA = not AWS_STORAGE_BUCKET_NAME and env_bool("SERVE_MEDIA", default=True)

STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644
IMAGE_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
VIDEO_UPLOAD_MAX_BYTES = 50 * 1024 * 1024

# --- Email ------------------------------------------------------------------------------------
vars().update(parse_email_url(env_str("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Petit Talk <hello@petittalk.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Payments ----------------------------------------------------------------------------------
# "dummy": a local test card processor (demo, tests); "stripe": real Stripe (PaymentIntents).
PAYMENT_GATEWAY = env_str("PAYMENT_GATEWAY", "dummy")
if PAYMENT_GATEWAY not in ("dummy", "stripe"):
    raise ImproperlyConfigured("PAYMENT_GATEWAY must be dummy or stripe")
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
# Only for tests against a local fake Stripe (localstripe); production talks to Stripe itself.
STRIPE_API_BASE = env_str("STRIPE_API_BASE")
if PAYMENT_GATEWAY == "stripe" and not (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET):
    raise ImproperlyConfigured(
        "PAYMENT_GATEWAY=stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET"
    )
# VAT included in lesson prices, shown on receipts (0 until the business registers for VAT).
VAT_RATE = Decimal(env_str("VAT_RATE", "0"))

# --- Background tasks --------------------------------------------------------------------------
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND not in TASKS_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)}")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND]}}

# --- Cache ------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# Login rate limits are counted here, so every web process must share it: an in-process cache
# would give each gunicorn worker its own count. Without Redis, a table in the database (made by
# `migrate`, see core.apps).
# It also holds cached public pages and free slots (core/content_cache.py): the table keeps up to
# 5,000 entries (Django's default of 300 would evict pages while they are still wanted).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "petittalk_cache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

# Sessions: in the database without Redis. With it, "cached_db" (the default) reads them from Redis
# and writes through to the database, so a Redis restart logs no one out; "cache" keeps them in
# Redis only (fastest, but a flush or an eviction logs everyone out).
SESSION_ENGINE = session_engine(env_str("SESSION_STORE"), redis_url=REDIS_URL)

# --- Security ---------------------------------------------------------------------------------
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 30 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Joining the browsers' preload list is hard to undo, so it is the operator's explicit choice.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- Site -------------------------------------------------------------------------------------
SITE_NAME = "Petit Talk"
# The public address, for links in emails sent by the background worker (no request there).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SUPPORT_EMAIL = env_str("SUPPORT_EMAIL", "hello@petittalk.example")
ADMINS = [("Petit Talk", a) for a in env_list("ADMINS", [])]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # The Stripe SDK logs every request at INFO.
    "loggers": {"django.db.backends": {"level": "INFO"}, "stripe": {"level": "WARNING"}},
}

FORM_RENDERER = "petittalk.core.forms.FormRenderer"
FORMS_URLFIELD_ASSUME_HTTPS = True
CSRF_FAILURE_VIEW = "petittalk.core.views.csrf_failure"
