"""Recovery codes kept only as hashes: ten random codes, shown once on the page right
after they are made, and stored as slow salted hashes, so nothing in the database can
be read back into a code.

allauth keeps a seed and derives the codes from it, so anyone reading the database
could print every code. `HashedRecoveryCodes` takes the place of allauth's
`RecoveryCodes` (see `use_hashed_codes`, called when the app loads): allauth's flows
make a set with `activate`, check a code with `validate_code`, and build their pages
from `did_view`, `mark_as_viewed` and `get_unused_codes`.

A new set's codes reach the page that shows them in a signed cookie that lives ten
minutes, is sent only to the recovery-code pages and is removed once they are shown:
they are never written to the session or the database. Only that first showing
prints them; afterwards the page offers a new set instead.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time

from allauth.core import context
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal import auth as allauth_codes
from allauth.mfa.recovery_codes.internal import flows as allauth_flows
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

# allauth's own class: the one that reads seed-based sets (migration 0003 turns them into
# hashed sets).
SeedRecoveryCodes = allauth_codes.RecoveryCodes

# Twelve digits a code (about 40 bits), typed on a phone's number pad. With a salted
# PBKDF2 of this many rounds (about 25 ms a check here), working a code out of its hash
# takes a large GPU weeks for one person's set; a check at sign-in costs one round trip.
DIGITS = 12
SCHEME = "pbkdf2_sha256"
ITERATIONS = 100_000
# What allauth's pages get for a code that cannot be shown.
MASK = "****"

COOKIE = "recovery_codes_once"
COOKIE_MAX_AGE = 10 * 60
SIGNING_SALT = "accounts.recovery_codes"
# Set on the request that made a set (its codes go into the cookie) or showed one (the
# cookie goes).
MADE_ATTRIBUTE = "_recovery_codes_made"
SHOWN_ATTRIBUTE = "_recovery_codes_shown"

_SEPARATORS = re.compile(r"[\s\-]+")


def new_code() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def readable(code: str) -> str:
    """A code in groups of four, as the page shows it: 4821-0937-5561."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalised(code: str) -> str:
    """A typed code without the spaces and dashes that group it."""
    return _SEPARATORS.sub("", code or "")


def _digest(code: str, salt: str, iterations: int) -> str:
    return hashlib.pbkdf2_hmac("sha256", code.encode(), salt.encode(), iterations).hex()


def hashed_set(codes: list[str], used_mask: int = 0) -> dict:
    """An Authenticator's data for these codes: their hashes under one fresh salt (so a
    check derives once and compares with all ten), and which of them are spent."""
    salt = secrets.token_hex(16)
    lengths = {len(code) for code in codes}
    return {
        "scheme": SCHEME,
        "iterations": ITERATIONS,
        "salt": salt,
        "length": lengths.pop() if len(lengths) == 1 else None,
        "hashes": [_digest(code, salt, ITERATIONS) for code in codes],
        "used_mask": used_mask,
    }


class HashedRecoveryCodes(SeedRecoveryCodes):
    """allauth's recovery codes, kept as hashes rather than derived from a stored seed."""

    def __init__(self, instance: Authenticator) -> None:
        super().__init__(instance)
        # True once this wrapper marked the set as seen: the page now showing it may
        # print the codes this one time.
        self._showing = False

    @classmethod
    def activate(cls, user) -> HashedRecoveryCodes:
        """The person's set; a new one (handed to the next page) when they have none."""
        instance = Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES
        ).first()
        if instance:
            return cls(instance)
        codes = [new_code() for _ in range(app_settings.RECOVERY_CODE_COUNT)]
        instance = Authenticator.objects.create(
            user=user, type=Authenticator.Type.RECOVERY_CODES, data=hashed_set(codes)
        )
        request = context.request
        if request is not None:
            setattr(request, MADE_ATTRIBUTE, _handed_over(instance, codes))
        return cls(instance)

    @property
    def unused_count(self) -> int:
        return sum(1 for i in range(len(self.instance.data["hashes"])) if not self._is_code_used(i))

    @property
    def did_view(self) -> bool:
        """Seen already, or not to be seen: only the browser that made the set, within
        minutes, can see its codes."""
        return bool(self.instance.data.get("viewed_at")) or self._handed_codes() is None

    def mark_as_viewed(self) -> None:
        if self.did_view:
            return
        self.instance.data["viewed_at"] = time.time()
        self.instance.save(update_fields=["data"])
        self._showing = True

    def get_unused_codes(self) -> list[str]:
        """The unused codes to print, on the one page that shows a new set; otherwise
        one mask for each, which allauth's pages count."""
        codes = self._handed_codes() if self._showing else None
        if codes is None:
            return [MASK] * self.unused_count
        setattr(context.request, SHOWN_ATTRIBUTE, True)
        return [readable(code) for i, code in enumerate(codes) if not self._is_code_used(i)]

    @transaction.atomic
    def validate_code(self, code: str) -> bool:
        """True, and the code spent, when it is one of the set's unused codes."""
        code = normalised(code)
        length = self.instance.data.get("length")
        if not code or (length is not None and len(code) != length):
            return False  # an authenticator-app code, say: no hash worth working out
        if self.instance.pk is not None:
            self.instance = Authenticator.objects.select_for_update().get(pk=self.instance.pk)
        data = self.instance.data
        digest = _digest(code, data["salt"], data["iterations"])
        for i, stored in enumerate(data["hashes"]):
            if hmac.compare_digest(digest, stored) and not self._is_code_used(i):
                self._mark_code_used(i)
                return True
        return False

    def _handed_codes(self) -> list[str] | None:
        """This set's codes from the cookie the browser that made it holds, if any."""
        request = context.request
        if request is None:
            return None
        try:
            handed = json.loads(
                request.get_signed_cookie(COOKIE, salt=SIGNING_SALT, max_age=COOKIE_MAX_AGE)
            )
        except (KeyError, signing.BadSignature, ValueError):
            return None
        if handed.get("id") != self.instance.pk or handed.get("salt") != self.instance.data.get(
            "salt"
        ):
            return None
        return handed.get("codes")


def _handed_over(instance: Authenticator, codes: list[str]) -> str:
    return json.dumps({"id": instance.pk, "salt": instance.data["salt"], "codes": codes})


def pass_on(request, response) -> None:
    """Give a new set's codes to the browser for the next page, or take them back once
    they have been shown. For the middleware, after each response."""
    made = getattr(request, MADE_ATTRIBUTE, None)
    if made is not None:
        response.set_signed_cookie(
            COOKIE,
            made,
            salt=SIGNING_SALT,
            max_age=COOKIE_MAX_AGE,
            path=reverse("mfa_view_recovery_codes"),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Strict",
        )
    elif getattr(request, SHOWN_ATTRIBUTE, False):
        response.delete_cookie(COOKIE, path=reverse("mfa_view_recovery_codes"), samesite="Strict")


def use_hashed_codes() -> None:
    """Make allauth's flows and `Authenticator.wrap()` use HashedRecoveryCodes.

    allauth looks the class up in these two modules (wrap() at each call, the flows
    since import); tests/test_recovery_codes.py fails if either stops doing so.
    """
    allauth_codes.RecoveryCodes = HashedRecoveryCodes
    allauth_flows.RecoveryCodes = HashedRecoveryCodes
