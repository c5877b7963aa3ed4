"""Settings read once from the environment, typed, failing loudly on bad values."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-insecure-secret-change-me"
DEV_STATS_HASH_KEY = "dev-insecure-stats-key"


class SettingsError(ValueError):
    """A setting has a value digibuur cannot use."""


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc


def _positive(env: dict[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if value < 1:
        raise SettingsError(f"{name} must be at least 1, got {value}")
    return value


def _rate(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from exc
    if value <= 0:
        raise SettingsError(f"{name} must be more than 0, got {raw!r}")
    return value


def _smtp_url(raw: str) -> str:
    """SMTP_URL: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://... (implicit TLS); empty = no mail."""
    raw = raw.strip()
    if raw and (urlsplit(raw).scheme not in ("smtp", "smtps") or not urlsplit(raw).hostname):
        raise SettingsError(f"SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465, got {raw!r}")
    return raw


LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def is_local_url(url: str) -> bool:
    """True when a URL points at this machine (localhost, 127.0.0.1, ::1): a developer's own copy."""
    host = (urlsplit(url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost")


def _flag(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be 1 or 0 (true or false), got {raw!r}")


@dataclass(frozen=True)
class ContentPaths:
    """Where the YAML content lives: shipped next to the packages unless DIGIBUUR_CONTENT_DIR says otherwise."""

    intents: Path
    guides: Path
    places: Path
    texts: Path
    organisations: Path

    @classmethod
    def shipped(cls) -> ContentPaths:
        return cls(
            intents=PACKAGE_ROOT / "intents" / "catalog",
            guides=PACKAGE_ROOT / "guides" / "content",
            places=PACKAGE_ROOT / "places" / "data",
            texts=PACKAGE_ROOT / "bot" / "texts",
            organisations=PACKAGE_ROOT / "handoff" / "data" / "organisations.yaml",
        )

    @classmethod
    def under(cls, root: Path) -> ContentPaths:
        return cls(
            intents=root / "intents",
            guides=root / "guides",
            places=root / "places",
            texts=root / "texts",
            organisations=root / "organisations.yaml",
        )


DEFAULT_VOICE = "Polly.Lisa-Neural"  # Amazon Polly's Belgian Dutch neural voice (nl-BE), as Twilio names it
VOICE_INPUTS = ("dtmf", "dtmf speech")


def _voice_speech(env: dict[str, str]) -> bool:
    raw = " ".join(env.get("VOICE_SPEECH", "").lower().split()) or "dtmf"
    if raw not in VOICE_INPUTS:
        raise SettingsError(f"VOICE_SPEECH must be 'dtmf' or 'dtmf speech', got {raw!r}")
    return raw == "dtmf speech"


@dataclass(frozen=True)
class Settings:
    """All configuration, from environment variables (see README)."""

    database_url: str = "sqlite:///digibuur.db"
    content: ContentPaths = field(default_factory=ContentPaths.shipped)
    public_base_url: str = "http://127.0.0.1:8000"
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_sms_from: str = ""
    twilio_whatsapp_from: str = ""
    twilio_api_base_url: str = ""
    twilio_whatsapp_template_sid: str = ""
    telegram_bot_token: str = ""
    telegram_webhook_secret: str = ""
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    secret_key: str = DEV_SECRET_KEY
    stats_hash_key: str = DEV_STATS_HASH_KEY
    retention_days: int = 30
    conversation_idle_minutes: int = 60 * 24
    run_scheduler: bool = True
    timezone: str = "Europe/Brussels"
    log_level: str = "INFO"
    secure_cookies: bool = False
    throttle_per_minute: int = 20
    public_simulator: bool = True
    web_threads: int = 3  # WEB_THREADS: fewer threads, less GIL and database contention (benchmarks/README.md)
    forwarded_allow_ips: str = "127.0.0.1,::1"
    content_max_bytes: int = 1_000_000

    @property
    def cookies_secure(self) -> bool:
        """Console cookies get the Secure flag behind HTTPS (an https PUBLIC_BASE_URL) or with SECURE_COOKIES=1."""
        return self.secure_cookies or self.public_base_url.lower().startswith("https://")

    def production_problems(self) -> list[str]:
        """Why this configuration must not serve real residents (PostgreSQL = production): development keys."""
        if self.database_url.startswith("sqlite"):
            return []
        problems = []
        if self.secret_key == DEV_SECRET_KEY:
            problems.append("SECRET_KEY is the development value; set a long random value (it signs console sessions)")
        if self.stats_hash_key == DEV_STATS_HASH_KEY:
            problems.append(
                "STATS_HASH_KEY is the development value; set a long random value (it pseudonymises phone numbers)"
            )
        return problems

    def refuse_development_keys(self) -> None:
        """Stop start-up with a clear message when production runs on development keys."""
        problems = self.production_problems()
        if problems:
            raise SettingsError("refusing to start with PostgreSQL: " + "; ".join(problems))
    twilio_max_body_bytes: int = 65536
    telegram_max_body_bytes: int = 1048576
    simulator_max_body_bytes: int = 16384
    max_body_bytes: int = 1048576
    simulator_per_minute: int = 30
    metrics_token: str = ""
    offer_draft_languages: bool = True
    voice_tts_voice: str = DEFAULT_VOICE
    voice_speech: bool = False

    # outbound: rate limits per sender (messages per second; Telegram also per chat), batches, approval, e-mail
    sms_per_second: float = 5.0
    whatsapp_per_second: float = 5.0
    telegram_per_second: float = 25.0
    telegram_chat_seconds: float = 1.0
    outbox_batch: int = 50
    broadcast_batch: int = 200
    broadcast_approval_above: int = 100
    smtp_url: str = ""
    mail_from: str = ""
    smtp_timeout: float = 10.0
    ticket_untold_minutes: int = 30

    @property
    def voice_input(self) -> str:
        """What a call's <Gather> listens for: keys only, or keys and speech (VOICE_SPEECH)."""
        return "dtmf speech" if self.voice_speech else "dtmf"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        content_dir = env.get("DIGIBUUR_CONTENT_DIR", "")
        content = ContentPaths.under(Path(content_dir)) if content_dir else ContentPaths.shipped()
        if content_dir and not Path(content_dir).is_dir():
            raise SettingsError(f"DIGIBUUR_CONTENT_DIR={content_dir!r} is not a directory")
        database_url = env.get("DATABASE_URL", "") or "sqlite:///digibuur.db"
        if database_url.startswith("postgres://"):
            database_url = "postgresql+psycopg://" + database_url[len("postgres://"):]
        elif database_url.startswith("postgresql://"):
            database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
        public = env.get("PUBLIC_BASE_URL", "") or cls.public_base_url
        return cls(
            database_url=database_url,
            content=content,
            public_base_url=public.rstrip("/"),
            twilio_account_sid=env.get("TWILIO_ACCOUNT_SID", ""),
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN", ""),
            twilio_sms_from=env.get("TWILIO_SMS_FROM", ""),
            twilio_whatsapp_from=env.get("TWILIO_WHATSAPP_FROM", ""),
            twilio_api_base_url=env.get("TWILIO_API_BASE_URL", ""),
            twilio_whatsapp_template_sid=env.get("TWILIO_WHATSAPP_TEMPLATE_SID", ""),
            telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN", ""),
            telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET", ""),
            telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL", "") or cls.telegram_api_base_url,
            secret_key=env.get("SECRET_KEY", "") or cls.secret_key,
            stats_hash_key=env.get("STATS_HASH_KEY", "") or cls.stats_hash_key,
            retention_days=_int(env, "RETENTION_DAYS", cls.retention_days),
            conversation_idle_minutes=_int(env, "CONVERSATION_IDLE_MINUTES", cls.conversation_idle_minutes),
            run_scheduler=env.get("DIGIBUUR_RUN_SCHEDULER", "1" if database_url.startswith("sqlite") else "0")
            not in ("0", "false", "no"),
            timezone=env.get("DIGIBUUR_TIMEZONE", "") or cls.timezone,
            log_level=env.get("LOG_LEVEL", "") or cls.log_level,
            secure_cookies=env.get("SECURE_COOKIES", "0") in ("1", "true", "yes"),
            throttle_per_minute=_int(env, "THROTTLE_PER_MINUTE", cls.throttle_per_minute),
            web_threads=max(1, _int(env, "WEB_THREADS", cls.web_threads)),
            forwarded_allow_ips=env.get("FORWARDED_ALLOW_IPS", cls.forwarded_allow_ips).strip(),
            content_max_bytes=max(1, _int(env, "CONTENT_MAX_BYTES", cls.content_max_bytes)),
            public_simulator=env.get("PUBLIC_SIMULATOR", "1" if is_local_url(public) else "0")
            in ("1", "true", "yes"),
            twilio_max_body_bytes=_positive(env, "TWILIO_MAX_BODY_BYTES", cls.twilio_max_body_bytes),
            telegram_max_body_bytes=_positive(env, "TELEGRAM_MAX_BODY_BYTES", cls.telegram_max_body_bytes),
            simulator_max_body_bytes=_positive(env, "SIMULATOR_MAX_BODY_BYTES", cls.simulator_max_body_bytes),
            max_body_bytes=_positive(env, "MAX_BODY_BYTES", cls.max_body_bytes),
            simulator_per_minute=_positive(env, "SIMULATOR_PER_MINUTE", cls.simulator_per_minute),
            metrics_token=env.get("METRICS_TOKEN", ""),
            offer_draft_languages=_flag(env, "OFFER_DRAFT_LANGUAGES", True),
            voice_tts_voice=env.get("VOICE_TTS_VOICE", "").strip() or DEFAULT_VOICE,
            voice_speech=_voice_speech(env),
            sms_per_second=_rate(env, "SMS_PER_SECOND", cls.sms_per_second),
            whatsapp_per_second=_rate(env, "WHATSAPP_PER_SECOND", cls.whatsapp_per_second),
            telegram_per_second=_rate(env, "TELEGRAM_PER_SECOND", cls.telegram_per_second),
            telegram_chat_seconds=_rate(env, "TELEGRAM_CHAT_SECONDS", cls.telegram_chat_seconds),
            outbox_batch=_positive(env, "OUTBOX_BATCH", cls.outbox_batch),
            broadcast_batch=_positive(env, "BROADCAST_BATCH", cls.broadcast_batch),
            broadcast_approval_above=_int(env, "BROADCAST_APPROVAL_ABOVE", cls.broadcast_approval_above),
            smtp_url=_smtp_url(env.get("SMTP_URL", "")),
            mail_from=env.get("MAIL_FROM", ""),
            smtp_timeout=_rate(env, "SMTP_TIMEOUT", cls.smtp_timeout),
            ticket_untold_minutes=_positive(env, "TICKET_UNTOLD_MINUTES", cls.ticket_untold_minutes),
        )
