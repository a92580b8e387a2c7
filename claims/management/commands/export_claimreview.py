import json

from django.core.management.base import BaseCommand

from claims.claimreview_io import export_feed


class Command(BaseCommand):
    help = "Write every published review as a schema.org ClaimReview DataFeed (JSON-LD)."

    def add_arguments(self, parser):
        parser.add_argument("--out", help="File to write; standard output when left out.")

    def handle(self, *args, out=None, **options):
        feed = export_feed()
        text = json.dumps(feed, ensure_ascii=False, indent=2) + "\n"
        if out:
            with open(out, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"{len(feed['dataFeedElement'])} published reviews written to {out}")
        else:
            self.stdout.write(text, ending="")
