from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims.ingest import source_import

# A line per thousand quotations shows a large file moving while they are attributed and checked;
# they are written in batches of claims.ingest.DRAFT_BATCH, a line each.
PROGRESS_EVERY = {"extracting": 1000, "checking": 1000, "writing": 25}


class Command(BaseCommand):
    help = (
        "Archive an article's text (with its SHA-256) and extract its quotations as draft quotes with "
        "proposed speakers. Importing the same text again creates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 text file of the article, archived byte for byte.")
        parser.add_argument("--title", required=True)
        parser.add_argument("--publisher", required=True)
        parser.add_argument("--url", default="")
        parser.add_argument("--published", default=None, help="YYYY, YYYY-MM or YYYY-MM-DD: only what is known.")
        parser.add_argument("--author", default="")
        parser.add_argument(
            "--language",
            default=None,
            help="en or fr: the extraction rules to use (detected from the text if omitted).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would be extracted; write nothing.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = path.read_bytes().decode("utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text.") from error
        try:
            result = source_import(
                text=text,
                title=options["title"],
                publisher=options["publisher"],
                url=options["url"],
                published=options["published"],
                author=options["author"],
                language=options["language"],
                dry_run=options["dry_run"],
                progress=self._progress,
            )
        except ValidationError as error:
            messages = [f"{name}: {' '.join(errors)}" for name, errors in error.message_dict.items()]
            raise CommandError("Import refused. " + " ".join(messages)) from error

        if not result.created:
            self.stdout.write(f"This text is already archived as “{result.source.slug}”; nothing was created.")
            return
        prefix = "Dry run, nothing written: would archive" if result.dry_run else "Archived"
        self.stdout.write(
            f"{prefix} “{result.source.title}” as {result.source.slug} (SHA-256 {result.source.sha256}, "
            f"language {result.source.language})."
        )
        self._table(result)
        if not result.dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(result.quotes)} draft quotes and {len(result.new_speakers)} draft speakers await review "
                    "in the admin (Quotes, filter status: Draft)."
                )
            )

    def _progress(self, done, total, stage="writing"):
        every = PROGRESS_EVERY[stage]
        if done % every == 0 or (done == total and total >= every):
            self.stdout.write(f"  … {stage} {done}/{total} quotations", ending="\n")
            self.stdout.flush()

    def _table(self, result):
        width = max(len(label) for label in result.summary)
        self.stdout.write("")
        for label, count in result.summary.items():
            self.stdout.write(f"  {label:<{width}}  {count:>5}")
        self.stdout.write("")
        if result.new_speakers:
            names = ", ".join(speaker.name for speaker in result.new_speakers)
            self.stdout.write(f"  new draft speakers: {names}")
        if self.verbosity_level > 1:
            for quote in result.quotes:
                self.stdout.write(
                    f"  {quote.start:>6}–{quote.end:<6} {quote.speaker.name} ({quote.extraction_confidence:.2f}, "
                    f"{quote.extraction_cue}): {quote.text[:70]}"
                )

    def execute(self, *args, **options):
        self.verbosity_level = options.get("verbosity", 1)
        return super().execute(*args, **options)
