from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from claims.models import Source


class Command(BaseCommand):
    help = "Load the curated seed record (fixtures/seed.json); with --if-empty only into an empty database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already holds sources."
        )

    def handle(self, *args, if_empty=False, **options):
        if not any((directory / "seed.json").exists() for directory in map(Path, settings.FIXTURE_DIRS)):
            self.stdout.write("No seed fixture (fixtures/seed.json) yet; nothing loaded.")
            return
        if if_empty and Source.objects.exists():
            self.stdout.write("The database already holds a record; seed data not loaded again.")
            return
        call_command("loaddata", "seed", verbosity=options["verbosity"])
