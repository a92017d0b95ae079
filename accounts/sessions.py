"""The person's sessions: when each was last seen, whether the last sign-in is recent,
and ending the others.

Sessions are listed from allauth's UserSession records. Rather than writing on every
request, the middleware renews a session (and its last-seen time and address) once
every TOUCH_EVERY_SECONDS: that write is what keeps a session in use alive until the
idle timeout (SESSION_COOKIE_AGE) runs out.
"""

import datetime
import time
from dataclasses import dataclass

from allauth.account.internal.flows.login import get_authentication_records
from allauth.usersessions.internal.flows.sessions import end_other_sessions
from allauth.usersessions.models import UserSession
from django.conf import settings

TOUCHED_AT = "accounts_touched_at"
TOUCH_EVERY_SECONDS = 5 * 60


def mark_touched(session, now: float | None = None) -> None:
    session[TOUCHED_AT] = now if now is not None else time.time()


def touch_if_due(request) -> None:
    """Renew a signed-in session and note it as seen, if it was not noted lately."""
    session = request.session
    if not session.session_key:
        return
    now = time.time()
    last = session.get(TOUCHED_AT)
    if isinstance(last, int | float) and now - last < TOUCH_EVERY_SECONDS:
        return
    UserSession.objects.create_from_request(request)
    mark_touched(session, now)


def signed_in_recently(request) -> bool:
    """True when the person signed in (or confirmed their password or a code) within
    settings.REAUTHENTICATION_MINUTES."""
    records = get_authentication_records(request, request.user)
    if not records:
        return False
    last = max(record.get("at", 0) for record in records)
    return time.time() - last < settings.REAUTHENTICATION_MINUTES * 60


def sign_out_other_sessions(request) -> None:
    """End every session of the signed-in person except this one."""
    end_other_sessions(request, request.user)


def sessions_of(user) -> list[UserSession]:
    """The person's live sessions, oldest first (ended ones are cleared on the way)."""
    return sorted(UserSession.objects.purge_and_list(user), key=lambda s: s.created_at)


# (name in the User-Agent, name to show), most specific first: Edge and Opera also
# say "Chrome", and Chrome also says "Safari".
BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


def device_name(user_agent: str) -> str:
    """A browser's own description of itself, shortened: "Firefox on Android"."""
    browser = next((name for marker, name in BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in SYSTEMS if marker in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"


@dataclass(frozen=True)
class SessionRow:
    """One line of the Settings session list."""

    device: str
    ip: str
    signed_in_at: datetime.datetime
    last_seen_at: datetime.datetime
    current: bool


def listing(request) -> list[SessionRow]:
    """The signed-in person's live sessions for Settings, this one first."""
    rows = [
        SessionRow(
            device=device_name(session.user_agent),
            ip=session.ip,
            signed_in_at=session.created_at,
            last_seen_at=session.last_seen_at,
            current=session.session_key == request.session.session_key,
        )
        for session in sessions_of(request.user)
    ]
    return sorted(rows, key=lambda row: (not row.current, -row.last_seen_at.timestamp()))
