from django.core.management.base import BaseCommand, CommandError

from claims.claimreview_feeds import FeedError
from claims.claimreview_io import import_file


class Command(BaseCommand):
    help = (
        "Import schema.org ClaimReview: JSON-LD (one object, an array, a DataFeed), the Data Commons dump "
        '(one <script type="application/ld+json"> per line, gzipped or not) or a Google Fact Check Tools API '
        "response. Claims, claimants as draft speakers, appearances as referenced-only sources, and published "
        "reviews as their feed gives them. Importing the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as handle:
                raw = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            report = import_file(raw)
        except FeedError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        for where, reason in report.skipped:
            self.stderr.write(f"{where}: skipped: {reason}")
        if options["verbosity"] > 1:
            for where, warning in report.warnings:
                self.stderr.write(f"{where}: {warning}")
        self.stdout.write(report.summary())
