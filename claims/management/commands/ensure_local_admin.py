import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the local development admin account if none exists, and print how to log in (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a well-known admin account with DEBUG off.")
        username = os.environ.get("LOCAL_ADMIN_USER", "admin")
        password = os.environ.get("LOCAL_ADMIN_PASSWORD", "sahel-local-admin")
        User = get_user_model()
        if not User.objects.filter(username=username).exists():
            User.objects.create_superuser(username=username, email="", password=password)
            self.stdout.write(f"Created the local admin account {username!r}.")
        self.stdout.write(
            f"Log in at http://127.0.0.1:8000/admin/ as {username!r} with password {password!r} "
            "(unless you changed it: manage.py changepassword resets it)."
        )
