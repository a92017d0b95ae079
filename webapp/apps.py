from django.apps import AppConfig


class WebappConfig(AppConfig):
    name = "webapp"
    verbose_name = "Web app"

    def ready(self):
        from . import signals  # noqa: F401  (carries the person's theme into their session)
