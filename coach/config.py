"""Settings, read once from ``COACH_*`` environment variables, each with one documented default."""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
# A source checkout (and the editable install made from it) has pyproject.toml beside the
# package; an installed wheel does not.
IN_CHECKOUT = (PROJECT_ROOT / "pyproject.toml").is_file()


def shipped_folder(name: str) -> Path:
    """Where a folder the product ships beside its code is (templates, static, questionnaires).

    A source checkout, and the editable install made from it, keeps it at the repository's
    top level, next to pyproject.toml; an installed wheel carries it inside the coach package
    (pyproject.toml maps it there). The checkout is recognised by its pyproject.toml rather
    than by a folder inside the package, which an older checkout may still hold
    (coach/static/vendor/ from before the move).
    """
    return PROJECT_ROOT / name if IN_CHECKOUT else PACKAGE_DIR / name


def _default_instance() -> Path:
    """instance/ in a source checkout; for an installed wheel, Flask's own convention for an
    installed package, ``<prefix>/var/coach-instance`` (never inside site-packages)."""
    return PROJECT_ROOT / "instance" if IN_CHECKOUT else Path(sys.prefix) / "var" / "coach-instance"


DEFAULT_INSTANCE = _default_instance()
DEFAULT_QUESTIONNAIRES = shipped_folder("questionnaires")


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_secret_key(instance_dir: Path) -> str:
    """COACH_SECRET_KEY, else a key generated once into the instance folder and reused."""
    from_env = os.environ.get("COACH_SECRET_KEY")
    if from_env:
        return from_env
    path = instance_dir / "secret_key"
    instance_dir.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when two workers start together, exactly one writes the key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return _read_key(path)


def _read_key(path: Path) -> str:
    for _ in range(50):
        key = path.read_text().strip()
        if key:
            return key
        # Another worker created the file a moment ago and is still writing it.
        import time

        time.sleep(0.02)
    raise RuntimeError(f"{path} is empty: delete it or set COACH_SECRET_KEY")


@dataclass(frozen=True)
class Settings:
    """The environment-derived settings, with their defaults (see README, Configuration)."""

    instance_dir: Path
    database_url: str
    questionnaires_dir: Path
    default_instrument: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    smtp_user: str
    smtp_password: str
    mail_sender: str
    base_url: str
    secure_cookies: bool
    min_group_n: int
    redis_url: str
    idle_minutes: int
    absolute_hours: int
    trusted_proxy_count: int
    trusted_proxies: str
    metrics_token: str
    log_format: str

    @classmethod
    def from_env(cls) -> Settings:
        """Read every COACH_* variable once."""
        env = os.environ
        instance = Path(env.get("COACH_INSTANCE_DIR") or DEFAULT_INSTANCE).resolve()
        return cls(
            instance_dir=instance,
            database_url=env.get("COACH_DATABASE_URL") or f"sqlite:///{instance / 'coach.db'}",
            questionnaires_dir=Path(env.get("COACH_QUESTIONNAIRES") or DEFAULT_QUESTIONNAIRES),
            default_instrument=env.get("COACH_DEFAULT_INSTRUMENT") or "leader-manager",
            smtp_host=env.get("COACH_SMTP_HOST", ""),
            smtp_port=int(env.get("COACH_SMTP_PORT") or 25),
            smtp_security=(env.get("COACH_SMTP_SECURITY") or "none").lower(),
            smtp_user=env.get("COACH_SMTP_USER", ""),
            smtp_password=env.get("COACH_SMTP_PASSWORD", ""),
            mail_sender=env.get("COACH_MAIL_SENDER") or "coach@localhost",
            base_url=(env.get("COACH_BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
            secure_cookies=_flag(env.get("COACH_SECURE_COOKIES"), False),
            min_group_n=max(3, int(env.get("COACH_MIN_GROUP_N") or 3)),
            redis_url=env.get("COACH_REDIS_URL", ""),
            idle_minutes=int(env.get("COACH_IDLE_MINUTES") or 30),
            absolute_hours=int(env.get("COACH_ABSOLUTE_HOURS") or 12),
            trusted_proxy_count=max(0, int(env.get("COACH_TRUSTED_PROXY_COUNT") or 0)),
            trusted_proxies=env.get("COACH_TRUSTED_PROXIES") or "127.0.0.1, ::1",
            metrics_token=env.get("COACH_METRICS_TOKEN", ""),
            log_format=(env.get("COACH_LOG_FORMAT") or "text").lower(),
        )


def normalise_database_url(url: str) -> str:
    """Let plain ``postgresql://`` URLs use psycopg 3, the driver the postgres extra installs."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def flask_config(settings: Settings) -> dict[str, object]:
    """The Flask and extension settings derived from ``settings``."""
    return {
        "SECRET_KEY": load_secret_key(settings.instance_dir),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(settings.database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # The __Host- prefix pins the cookie to this host and path, but browsers accept it
        # only over HTTPS, so plain-HTTP installs (make run) keep the ordinary name.
        "SESSION_COOKIE_NAME": "__Host-session" if settings.secure_cookies else "session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": settings.secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": settings.secure_cookies,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # Over HTTPS Flask-WTF would also demand a Referer from the same host, but every page
        # says Referrer-Policy: no-referrer, so browsers send none (and Origin: null): each
        # form would fail. The token, SameSite=Lax and the __Host- cookie guard against CSRF.
        "WTF_CSRF_SSL_STRICT": False,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Counters shared by every worker: Redis when configured, else the app's database.
        "RATELIMIT_STORAGE_URI": settings.redis_url or "coachdb://",
        "RATELIMIT_STORAGE_OPTIONS": {}
        if settings.redis_url
        else {"database_url": normalise_database_url(settings.database_url)},
        "RATELIMIT_STRATEGY": "fixed-window",
        "RATELIMIT_HEADERS_ENABLED": True,
        "COACH": settings,
    }
