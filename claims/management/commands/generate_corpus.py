import time

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection

from claims.corpus import DEFAULT_SEED, Scale, generate_corpus
from claims.models import Claim, Quote, Source, Speaker


class Command(BaseCommand):
    help = (
        "Build a deterministic synthetic corpus for benchmarks: --claims N gives N/10 speakers, N/5 sources, "
        "3N anchored quotes, N claims (20 %% disputed) and reviews on some. Refuses a non-empty database "
        "unless --append is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--claims", type=int, default=1000, help="Number of claims; everything else scales with it."
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Seed of the generator (same seed, same rows)."
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per INSERT.")
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add the corpus to a database that already holds records (fails if the same corpus is already there).",
        )

    def handle(self, *args, claims, seed, batch_size, append, **options):
        if claims < 10:
            raise CommandError("--claims must be at least 10.")
        existing = {model.__name__: model.objects.count() for model in (Speaker, Source, Quote, Claim)}
        if any(existing.values()) and not append:
            held = ", ".join(f"{count} {name.lower()}s" for name, count in existing.items() if count)
            raise CommandError(
                f"The database already holds records ({held}). Use an empty database, or pass --append "
                "to add the synthetic corpus alongside them."
            )
        scale = Scale(claims)
        database = connection.settings_dict["NAME"]
        self.stdout.write(
            f"Generating {scale.claims} claims, {scale.speakers} speakers, {scale.sources} sources, "
            f"{scale.quotes} quotes into {connection.vendor} database {database} (seed {seed})…"
        )
        started = time.perf_counter()
        try:
            counts = generate_corpus(claims=claims, seed=seed, batch_size=batch_size, progress=self.stdout.write)
        except IntegrityError as error:
            raise CommandError(
                f"Could not write the corpus ({error}); nothing was written. Is this corpus already loaded?"
            ) from error
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Loaded in {elapsed:.1f} s on {connection.vendor}: {summary}."))
