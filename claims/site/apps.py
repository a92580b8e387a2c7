from django.apps import AppConfig


class PublicSiteConfig(AppConfig):
    """Installed as its own app so its templates, static files and template tags are found by Django."""

    name = "claims.site"
    label = "public_site"
    verbose_name = "Public site"
