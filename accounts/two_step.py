"""Two-step sign-in in words: the names of the methods a person has turned on."""

from allauth.mfa.models import Authenticator

METHOD_NAMES = {
    Authenticator.Type.TOTP: "authenticator app",
    Authenticator.Type.RECOVERY_CODES: "recovery codes",
    Authenticator.Type.WEBAUTHN: "passkey or security key",
}
# The order Settings names them in.
METHOD_ORDER = (
    Authenticator.Type.TOTP,
    Authenticator.Type.WEBAUTHN,
    Authenticator.Type.RECOVERY_CODES,
)


def method_name(authenticator: Authenticator) -> str:
    """ "authenticator app", or a passkey with the name its owner gave it."""
    name = METHOD_NAMES.get(authenticator.type, authenticator.type)
    if authenticator.type == Authenticator.Type.WEBAUTHN:
        return f"{name} \u201c{authenticator.wrap().name}\u201d"
    return name


def methods_of(user) -> list[str]:
    """The kinds of method the person has on, by name, in a fixed order."""
    kinds = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    names = {
        Authenticator.Type.TOTP: "authenticator app",
        Authenticator.Type.WEBAUTHN: "passkeys or security keys",
        Authenticator.Type.RECOVERY_CODES: "recovery codes",
    }
    return [names[kind] for kind in METHOD_ORDER if kind in kinds]
