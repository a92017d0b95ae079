"""Every URL pattern of the project, and how to fill each one in for a test.

The security tests (tests/test_security.py, pages and API alike) and the accessibility
walk (tests/e2e/test_accessibility_e2e.py) both start from `project_routes()`, so a new
page or API address is checked the moment its URL is added. A new URL with parameters
must be described in OWN_ENTRY_ROUTES, API_OBJECT_ROUTES or PUBLIC_ROUTES first, or
those tests fail and say so.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

# Pages anyone may open without signing in, by design.
PUBLIC_ROUTES = frozenset(
    {
        "home",  # the landing page; the person's own home once signed in
        "healthz",  # for load balancers: says only "ok"
        # The account pages (allauth's names and the journal's for the same addresses).
        "signup",
        "account_signup",
        "login",
        "account_login",
        "logout",  # signing out when not signed in just goes home
        "account_logout",
        "account_inactive",
        "account_email_verification_sent",
        "account_confirm_email",  # the link in the confirmation email
        "password_reset",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",  # the link in the reset email
        "account_reset_password_from_key_done",
        # Steps in the middle of signing in; without one under way they go to log in.
        "account_confirm_login_code",
        "mfa_authenticate",
        "mfa_login_webauthn",
        "admin:login",  # sends visitors to the same log-in page as everyone
        "admin:logout",  # POST only, like logout
        "api:schema",  # the OpenAPI description of the API: no one's data
        "api:docs",  # the API's interactive documentation
        # The installable app (webapp): the same for everyone, nobody's data.
        "manifest",
        "service_worker",
        "offline",
        "offline_session",  # says only whether this device is signed in
        "reminders:unsubscribe",  # the signed link in a reminder email
        # A link the person shared with their doctor: read-only, by an unguessable token.
        "shared",
        "shared_pdf",
    }
)

# Public addresses with parameters: how to fill each in with a made-up value.
PUBLIC_EXAMPLES = {
    "account_confirm_email": {"key": "not-a-real-link"},
    "account_reset_password_from_key": {"uidb36": "1", "key": "not-a-real-link"},
    "reminders:unsubscribe": {"token": "not-a-real-link"},
    "shared": {"token": "not-a-real-link"},
    "shared_pdf": {"token": "not-a-real-link"},
}

# The person's own passkeys and security keys: route name -> URL parameter.
OWN_KEY_ROUTES = {
    "mfa_edit_webauthn": "pk",
    "mfa_remove_webauthn": "pk",
    "remove_passkey": "pk",
}

# Account pages that answer a signed-in person who has set nothing up with something
# other than the page itself: route name -> (status, where a redirect goes).
ACCOUNT_ANSWERS = {
    # Already signed in.
    "login": (302, "/"),
    "account_login": (302, "/"),
    "signup": (302, "/"),
    "account_signup": (302, "/"),
    # Settings shows the address and the sessions; these pages only act on a POST.
    "account_email": (302, "/settings/"),
    "sign_out_others": (302, "/settings/"),
    "usersessions_list": (302, "/settings/"),
    # Everyone here has a password, so setting one means changing it.
    "account_set_password": (302, "/accounts/password/change/"),
    # Two-step changes first ask the person to confirm it is them.
    "mfa_activate_totp": (302, "/accounts/reauthenticate/"),
    "mfa_generate_recovery_codes": (302, "/accounts/reauthenticate/"),
    "mfa_add_webauthn": (302, "/accounts/reauthenticate/"),
    # Confirming with a method the person has not set up falls back to the password.
    "mfa_reauthenticate": (302, "/accounts/reauthenticate/"),
    "mfa_reauthenticate_webauthn": (302, "/accounts/reauthenticate/"),
    # Nothing to show or turn off before it is set up.
    "mfa_deactivate_totp": (404, None),
    "mfa_view_recovery_codes": (404, None),
    "mfa_download_recovery_codes": (404, None),
    # Confirming by an emailed code is not offered.
    "account_request_reauthentication_code": (403, None),
    "account_confirm_reauthentication_code": (403, None),
}

# Routes naming one of the person's own entries: route name -> (kind, URL parameter).
# The kind is a key of the `entries` dict the tests build: a twitch, a symptom, or
# the day of a check-in.
OWN_ENTRY_ROUTES = {
    "twitch_edit": ("twitch", "pk"),
    "twitch_delete": ("twitch", "pk"),
    "twitch_undo": ("twitch", "pk"),
    "symptom_undo": ("symptom", "pk"),
    "checkin_undo": ("checkin", "day"),
    "symptom_edit": ("symptom", "pk"),
    "symptom_delete": ("symptom", "pk"),
    "checkin_day": ("checkin", "day"),
    "checkin_delete": ("checkin", "day"),
    "token_revoke": ("token", "pk"),
    "share_revoke": ("share", "pk"),
}

# The API's addresses of one of the person's entries: route name -> (kind, URL parameter).
# Every other API address (lists, "again", the vocabulary) takes no parameter.
API_OBJECT_ROUTES = {
    "api:twitch-detail": ("twitch", "pk"),
    "api:symptom-detail": ("symptom", "pk"),
    "api:checkin-detail": ("checkin", "day"),
}

# Downloads rather than pages: (route name, content type they answer with).
DOWNLOADS = {
    "export_csv": "text/csv",
    "export_json": "application/json",
    "report_pdf": "application/pdf",
}

ADMIN_NAMESPACE = "admin"
API_NAMESPACE = "api"


@dataclass(frozen=True)
class Route:
    """One URL pattern: its qualified name (None if unnamed), full pattern and parameters."""

    name: str | None
    pattern: str
    params: tuple[str, ...]
    is_regex: bool
    namespace: str | None

    @property
    def is_admin(self) -> bool:
        return self.namespace == ADMIN_NAMESPACE

    @property
    def is_api(self) -> bool:
        """An address of the API's data (JSON, token or session), not a page."""
        return self.namespace == API_NAMESPACE and self.name not in PUBLIC_ROUTES

    def __str__(self):
        return self.name or f"<unnamed {self.pattern}>"


def _walk(resolver, prefix="", namespace=None, regex=False):
    for entry in resolver.url_patterns:
        is_regex = regex or isinstance(entry.pattern, RegexPattern)
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if entry.namespace and namespace:
                inner = f"{namespace}:{entry.namespace}"
            yield from _walk(entry, prefix + str(entry.pattern), inner, is_regex)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            # Parameters anywhere in the address, an include's prefix included.
            params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", prefix))
            if isinstance(entry.pattern, RegexPattern):
                params += tuple(entry.pattern.regex.groupindex)
            else:
                params += tuple(re.findall(r"<(?:\w+:)?(\w+)>", str(entry.pattern)))
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Route(name, pattern, params, is_regex, namespace)


def project_routes() -> list[Route]:
    """Every URL pattern the project serves, in the order Django tries them."""
    return list(_walk(get_resolver()))


def admin_url(route: Route) -> str:
    """A concrete address for an admin pattern; every one sits behind the staff sign-in."""
    if route.name and not route.params:
        return reverse(route.name)
    if route.name == "admin:app_list":
        return reverse(route.name, kwargs={"app_label": "journal"})
    if route.is_regex:
        # The admin's catch-all, which answers any other address under /admin/.
        return "/admin/no-such-page/"
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route.pattern)


def own_entry_url(route: Route, entries) -> str:
    """The address of `route` for the person's entry of the kind the route names."""
    kind, param = {**OWN_ENTRY_ROUTES, **API_OBJECT_ROUTES}[route.name]
    return reverse(route.name, kwargs={param: entries[kind]})
