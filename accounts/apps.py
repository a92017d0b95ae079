from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import recovery_codes, signals  # noqa: F401  (signals: activity, other sessions)

        recovery_codes.use_hashed_codes()
