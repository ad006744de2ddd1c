"""Helpers that read configuration from the environment, the only source of settings."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
}


def parse_email_url(url: str) -> dict[str, object]:
    """Turn `smtp://user:pass@host:587?tls=1`, `console://`, `file:///dir` into settings."""
    parsed = urlparse(url)
    scheme = parsed.scheme
    if scheme not in EMAIL_BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme must be one of {', '.join(sorted(EMAIL_BACKENDS))}, not {scheme!r}"
        )
    config: dict[str, object] = {"EMAIL_BACKEND": EMAIL_BACKENDS[scheme]}
    if scheme == "file":
        config["EMAIL_FILE_PATH"] = parsed.path
    if scheme in {"smtp", "smtps"}:
        query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        config.update(
            EMAIL_HOST=parsed.hostname or "localhost",
            EMAIL_PORT=parsed.port or (465 if scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parsed.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parsed.password or ""),
            EMAIL_USE_SSL=scheme == "smtps",
            EMAIL_USE_TLS=query.get("tls", "").lower() in TRUE_WORDS,
        )
    return config


SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "cache": "django.contrib.sessions.backends.cache",
}


def session_engine(store: str, *, redis_url: str) -> str:
    """SESSION_ENGINE for SESSION_STORE: the database without Redis, else cached_db unless told."""
    if not redis_url:
        if store not in ("", "db"):
            # The default cache is a database table: sessions "in the cache" would only be
            # slower sessions in the database, lost whenever the cache is cleared.
            raise ImproperlyConfigured(f"SESSION_STORE={store} needs REDIS_URL")
        return SESSION_ENGINES["db"]
    store = store or "cached_db"
    if store not in SESSION_ENGINES:
        raise ImproperlyConfigured(
            f"SESSION_STORE must be one of {', '.join(SESSION_ENGINES)}, not {store!r}"
        )
    return SESSION_ENGINES[store]


def s3_media_storage(
    *,
    bucket: str,
    access_key: str = "",
    secret_key: str = "",
    region: str = "",
    endpoint_url: str = "",
    custom_domain: str = "",
) -> dict[str, object]:
    """STORAGES["default"] for uploads on S3 (or any S3-compatible endpoint)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "region_name": region or None,
            "endpoint_url": endpoint_url or None,
            "custom_domain": custom_domain or None,
            "default_acl": None,
            # Public, unsigned URLs: uploads are profile photos and videos shown to everyone.
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
