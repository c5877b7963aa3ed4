"""Who hears of new tickets by e-mail, as the console shows and edits it: per organisation and per helper."""

from typing import Any

from bot.console.auth import audit
from bot.console.web import Console, ConsoleForbidden, Viewer
from handoff.mail import MODES, organisation_choice, set_choice
from storage import mail_settings, staff_accounts
from storage.db import read_session, transaction

MODE_WORDS = {"each": "elke nieuwe vraag", "digest": "één overzicht per dag", "none": "geen e-mail"}


def mail_rows(console: Console) -> list[dict[str, Any]]:
    """Per organisation: its address and choice, and each helper account with its choice (default: each)."""
    rows = []
    with read_session(console.deps.db) as session:
        for org in console.deps.organisations():
            own = organisation_choice(session, org.id)
            choices = mail_settings.helper_choices(session, org.id)
            helpers = [{"id": u.id, "email": u.email, "mode": choices[u.id].mode if u.id in choices else "each"}
                       for u in staff_accounts.active_helpers(session, org.id)]
            rows.append({"org": org, "email": own.email if own else "", "mode": own.mode if own else "each",
                         "helpers": helpers})
    return rows


def save_organisation_mail(console: Console, viewer: Viewer, organisation: str, email: str, mode: str) -> None:
    if mode not in MODES or organisation not in {o.id for o in console.deps.organisations()}:
        raise ConsoleForbidden("Deze keuze bestaat niet.", 422)
    if email and ("@" not in email or len(email) > 254 or any(c.isspace() for c in email)):
        raise ConsoleForbidden("Dat is geen e-mailadres.", 422)
    with transaction(console.deps.db) as session:
        set_choice(session, organisation, email=email, mode=mode)
        audit(session, viewer.email, "mail.organisation", f"organisation:{organisation} {mode}", console.now())


def save_helper_mail(console: Console, viewer: Viewer, user_id: int, mode: str) -> None:
    """A helper's own choice (or staff's for them)."""
    if mode not in MODES:
        raise ConsoleForbidden("Deze keuze bestaat niet.", 422)
    with transaction(console.deps.db) as session:
        user = staff_accounts.user_by_id(session, user_id)
        if user is None or user.organisation is None:
            raise ConsoleForbidden("Dit account bestaat niet (meer).", 404)
        if viewer.role == "helper" and viewer.id != user_id:
            raise ConsoleForbidden("Je kiest alleen voor jezelf.", 403)
        set_choice(session, user.organisation, email="", mode=mode, user_id=user_id)
        audit(session, viewer.email, "mail.helper", f"user:{user_id} {mode}", console.now())


def helper_mode(console: Console, user_id: int) -> str:
    with read_session(console.deps.db) as session:
        choice = mail_settings.helper_choice(session, user_id)
        return choice.mode if choice is not None else "each"
