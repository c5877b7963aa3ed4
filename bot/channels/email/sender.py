"""Send outbox e-mails through SMTP_URL (smtp:// with STARTTLS when the server offers it, smtps:// implicit TLS)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from bot.outbound.sending import OutboxItem, SendOutcome
from bot.settings import Settings

NOT_CONFIGURED = "SMTP_URL and MAIL_FROM are not set: e-mail cannot be sent"


def email_unavailable(settings: Settings) -> dict[str, str]:
    return {} if settings.smtp_url and settings.mail_from else {"email": NOT_CONFIGURED}


def _temporary(code: int) -> bool:
    return 400 <= code < 500


class EmailSender:
    """One SMTP connection per message; the outbox row id is the Message-ID, so a server can spot a repeat."""

    def __init__(self, settings: Settings) -> None:
        url = urlsplit(settings.smtp_url)
        self.implicit_tls = url.scheme == "smtps"
        self.host = url.hostname or "localhost"
        self.port = url.port or (465 if self.implicit_tls else 587)
        self.user = unquote(url.username or "")
        self.password = unquote(url.password or "")
        self.sender = settings.mail_from
        self.timeout = settings.smtp_timeout
        self.domain = self.sender.rpartition("@")[2] or "digibuur.local"

    def _message(self, item: OutboxItem) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = item.address
        message["Subject"] = str(item.body.get("subject") or "digibuur")
        message["Message-ID"] = f"<outbox-{item.id}@{self.domain}>"
        message.set_content(str(item.body.get("text") or ""))
        return message

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.implicit_tls:
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        client.ehlo()
        if client.has_extn("starttls"):
            client.starttls(context=context)
            client.ehlo()
        return client

    def send(self, item: OutboxItem) -> SendOutcome:
        try:
            client = self._connect()
            if self.user:
                client.login(self.user, self.password)
        except smtplib.SMTPAuthenticationError as exc:
            return SendOutcome("failed", error=f"SMTP login refused ({exc.smtp_code})")
        except (OSError, smtplib.SMTPException) as exc:  # nothing was handed over yet: safe to try again later
            return SendOutcome("retry", error=f"SMTP connection: {type(exc).__name__}: {exc}"[:300])
        try:
            client.send_message(self._message(item))
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if codes and all(_temporary(code) for code in codes):
                return SendOutcome("retry", error=f"recipient refused for now {codes}")
            return SendOutcome("failed", error=f"recipient refused {codes}")
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            if _temporary(exc.smtp_code):
                return SendOutcome("retry", error=f"SMTP refused for now ({exc.smtp_code})")
            return SendOutcome("failed", error=f"SMTP refused ({exc.smtp_code})")
        except (OSError, smtplib.SMTPException) as exc:  # perhaps after the server took it: never resent blindly
            return SendOutcome("unknown", error=f"{type(exc).__name__}: {exc}"[:300])
        finally:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()
        return SendOutcome("sent", provider_id=f"outbox-{item.id}")
