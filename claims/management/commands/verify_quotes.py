from django.core.management.base import BaseCommand, CommandError

from claims.verification import verify_record


class Command(BaseCommand):
    help = (
        "Re-check every archived source's SHA-256 and every quote against the text at its offsets. "
        "Prints each mismatch; exits non-zero if there is any."
    )

    def handle(self, *args, **options):
        report = verify_record()
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"Checked {report.sources_checked} archived sources and {report.quotes_checked} anchored quotes; "
            f"{report.unanchored} quotes unanchored (referenced-only sources); {len(report.problems)} problems."
        )
        if report.problems:
            raise CommandError(f"{len(report.problems)} mismatches found.")
