import json

from django.core.management.base import BaseCommand, CommandError

from claims.claimreview_io import import_feed


class Command(BaseCommand):
    help = (
        "Import a JSON array of schema.org ClaimReview objects (or a DataFeed): claims, claimants as speakers, "
        "appearances as referenced-only sources, and published reviews. Importing the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        report = import_feed(data)
        for index, reason in report.skipped:
            self.stderr.write(f"record {index}: skipped: {reason}")
        if options["verbosity"] > 1:
            for index, warning in report.warnings:
                self.stderr.write(f"record {index}: {warning}")
        self.stdout.write(report.summary())
