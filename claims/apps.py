from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = "Sahel Claims"

    def ready(self):
        from . import checks, signals  # noqa: F401  (registers the checks, connects the receivers)
