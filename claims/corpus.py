"""A deterministic synthetic record at any scale, for measuring the API with realistic volumes.

`generate_corpus(claims=N, seed=S)` writes, for N claims: N/10 speakers (with aliases and accented
names such as Maïga, Goïta), N/5 sources (nine in ten archived), 3N quotes genuinely anchored in
their sources' text, N claims with 1–3 attributions each, disputes touching 20 % of the claims,
and published or draft reviews on some. The same arguments always give the same rows: every
choice comes from one `random.Random(seed)` and every date from the row's index, never the clock.

Rows go in with bulk_create, which skips save() and the signals, so the derived columns
(checksums, folded search documents, editorial-mark flags) are computed here with the same
functions the signals use. Historical records (simple_history) are not written for generated rows.
"""

import contextlib
import datetime
import hashlib
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.text import slugify

from .models import (
    Attribution,
    Claim,
    ClaimRelation,
    DatePrecision,
    Quote,
    Rating,
    Review,
    Source,
    Speaker,
    SpeakerAlias,
    Topic,
)
from .text import fold, search_document

DEFAULT_SEED = 20191101
REVIEWER_USERNAME = "corpus-reviewer"
DISPUTED_SHARE = 0.20
SUPPORTED_SHARE = 0.05
PUBLISHED_REVIEW_SHARE = 0.10
DRAFT_REVIEW_SHARE = 0.03
ARCHIVED_SHARE = 0.9
EPOCH = datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)

FIRST_NAMES = [
    "Aminata", "Moussa", "Oumar", "Fatoumata", "Ibrahim", "Assimi", "Choguel", "Abdoulaye", "Mariam",
    "Boubacar", "Hawa", "Souleymane", "Adama", "Kadidia", "Ismaël", "Aïcha", "Sékou", "Modibo", "Djénéba",
    "Cheick", "Ousmane", "Salif", "Ramata", "Tiémoko", "Hamadoun", "Alassane", "Nana", "Youssouf",
]  # fmt: skip
LAST_NAMES = [
    "Maïga", "Goïta", "Diop", "Traoré", "Keïta", "Coulibaly", "Touré", "Cissé", "Diarra", "Sidibé",
    "Konaté", "Sangaré", "Dicko", "Ag Ghaly", "Dembélé", "Haïdara", "Ba", "Sow", "Tall", "Koné",
    "Doumbia", "Samaké", "Guindo", "Kanouté",
]  # fmt: skip
PLACES = [
    "Ménaka", "Kidal", "Gao", "Tombouctou", "Mopti", "Ségou", "Bamako", "Indelimane", "Ansongo", "Tessit",
    "Nampala", "Boulkessi", "Djenné", "Kayes", "Sikasso", "Niono", "Léré", "Tillabéri", "Niamey", "Ouagadougou",
]  # fmt: skip
ORGANISATIONS = [
    ("Regional Council", Speaker.Kind.GOVERNMENT), ("Youth Collective", Speaker.Kind.PROTESTERS),
    ("Defence Ministry Office", Speaker.Kind.MINISTRY), ("Garrison", Speaker.Kind.ARMED_FORCES),
    ("Self-Defence Militia", Speaker.Kind.ARMED_GROUP), ("Community Radio", Speaker.Kind.MEDIA),
    ("Observers' Mission", Speaker.Kind.INTERNATIONAL_BODY), ("Security Studies Centre", Speaker.Kind.THINK_TANK),
    ("Traders' Association", Speaker.Kind.ORGANISATION),
]  # fmt: skip
PUBLISHERS = [
    "Le Républicain",
    "L'Essor",
    "Sahel Tribune",
    "Studio Tamani",
    "Radio Kledu",
    "Mali Actu",
    "Jeune Afrique",
]
GROUPS = ["JNIM", "the Islamic State in the Sahel", "the FLA", "the Wagner group", "the FAMa", "the transition"]
CLAUSES = [
    "the blockade of {p} has cut the fuel supply for weeks",
    "fuel convoys reached {p} despite the blockade",
    "{g} fighters attacked the camp at {p} at dawn",
    "civilians in {p} have been without electricity for {n} days",
    "we will not negotiate with those who burn the trucks on the road to {p}",
    "the army has secured the road between {p} and {q}",
    "our soldiers neutralised {n} terrorists near {p}",
    "no foreign power will decide the fate of Mali",
    "humanitarian access to {p} remains blocked by {g}",
    "the schools of {p} have been closed since the blockade began",
    "prices at the market in {p} have doubled in {n} days",
    "{g} is responsible for the massacre at {p}",
    "the elections will be held when security allows it",
    "the population of {p} supports the transition",
    "we demand the withdrawal of foreign troops from {p}",
    "the drone strike near {p} killed civilians, not fighters",
]
CLAIM_TEMPLATES = [
    "{g} imposed a fuel blockade on {p} in {y}",
    "The army secured the road between {p} and {q} in {y}",
    "A drone strike near {p} killed civilians in {y}",
    "Prices in {p} doubled during the blockade of {y}",
    "{g} carried out the attack on the camp at {p} in {y}",
    "Schools in {p} stayed closed through {y}",
    "Humanitarian convoys could not reach {p} in {y}",
    "Foreign troops left {p} in {y}",
]
LEAD_INS = [
    "Residents described long queues at the last open station.",
    "The statement was broadcast on national television.",
    "Several witnesses confirmed the account by telephone.",
    "The ministry did not answer requests for comment.",
    "Local officials gave a different figure.",
    "The convoy had left the capital three days earlier.",
]
TOPICS = [
    ("Fuel blockade", "fuel-blockade"), ("Attacks on civilians", "attacks-on-civilians"),
    ("Foreign forces", "foreign-forces"), ("Elections and the transition", "elections-transition"),
    ("Humanitarian access", "humanitarian-access"), ("Drone strikes", "drone-strikes"),
    ("Schools", "schools"), ("Prices", "prices"),
]  # fmt: skip
# The first speakers of every corpus, so even the smallest one has the accents search must fold.
NOTABLE_SPEAKERS = [
    ("Choguel Kokalla Maïga", Speaker.Kind.PERSON),
    ("Assimi Goïta", Speaker.Kind.PERSON),
    ("Ménaka Regional Council", Speaker.Kind.GOVERNMENT),
]
PUBLISHED_RATINGS = [Rating.FALSE, Rating.MOSTLY_FALSE, Rating.MIXED, Rating.MOSTLY_TRUE, Rating.TRUE]


@dataclass(frozen=True)
class Scale:
    """How many rows of each kind N claims bring with them."""

    claims: int

    @property
    def speakers(self):
        return max(1, self.claims // 10)

    @property
    def sources(self):
        return max(2, self.claims // 5)

    @property
    def archived_sources(self):
        return max(1, round(self.sources * ARCHIVED_SHARE))

    @property
    def quotes(self):
        return 3 * self.claims

    @property
    def disputed(self):
        """Claims in a dispute: an even number, since each relation puts two claims in dispute."""
        return 2 * round(self.claims * DISPUTED_SHARE / 2)


@contextlib.contextmanager
def explicit_timestamps(*models):
    """Let bulk_create keep the created_at/updated_at given, instead of stamping the clock's time."""
    fields = [
        (field, field.auto_now, field.auto_now_add)
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    try:
        for field, _, _ in fields:
            field.auto_now = field.auto_now_add = False
        yield
    finally:
        for field, auto_now, auto_now_add in fields:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _stamp(index, step_minutes):
    return EPOCH + datetime.timedelta(minutes=index * step_minutes)


def _partial_date(rng):
    day = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(7 * 365))
    roll = rng.random()
    if roll < 0.8:
        return day, DatePrecision.DAY
    if roll < 0.95:
        return day.replace(day=1), DatePrecision.MONTH
    return day.replace(month=1, day=1), DatePrecision.YEAR


def _fill(rng, template):
    places = rng.sample(PLACES, 2)
    return template.format(
        p=places[0], q=places[1], g=rng.choice(GROUPS), n=rng.randint(2, 90), y=rng.randint(2019, 2026)
    )


def _quote_text(rng):
    clauses = [_fill(rng, rng.choice(CLAUSES)) for _ in range(rng.choice((1, 1, 2, 2, 3, 4)))]
    roll = rng.random()
    if len(clauses) > 1 and roll < 0.05:
        clauses[1] = "… " + clauses[1]
    elif roll < 0.08:
        clauses[0] = clauses[0] + " [the army]"
    text = ", and ".join(clauses) if rng.random() < 0.5 else "; ".join(clauses)
    return text[0].upper() + text[1:]


class _Batches:
    """bulk_create in batches, printing progress every batch."""

    def __init__(self, batch_size, progress):
        self.batch_size = batch_size
        self.progress = progress

    def create(self, model, rows, total=None):
        label = model._meta.verbose_name_plural
        created, pending = [], []
        for row in rows:
            pending.append(row)
            if len(pending) >= self.batch_size:
                created += model.objects.bulk_create(pending)
                pending = []
                self.progress(f"  {label}: {len(created)}/{total if total is not None else '?'}")
        if pending:
            created += model.objects.bulk_create(pending)
        self.progress(f"  {label}: {len(created)} written")
        return created


def _speakers(rng, scale):
    for index in range(scale.speakers):
        if index < len(NOTABLE_SPEAKERS):
            name, kind = NOTABLE_SPEAKERS[index]
        elif rng.random() < 0.8:
            name, kind = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", Speaker.Kind.PERSON
        else:
            organisation, kind = rng.choice(ORGANISATIONS)
            name = f"{rng.choice(PLACES)} {organisation}"
        aliases = []
        plain = fold(name).title().replace("'S", "'s")
        if plain != name:
            aliases.append(plain)  # "Maiga" for "Maïga": how half the press spells it
        if kind == Speaker.Kind.PERSON and rng.random() < 0.5:
            first, _, last = name.partition(" ")
            aliases.append(f"{first[0]}. {last}")
        if not aliases:
            aliases.append(name.upper())
        yield index, name, kind, aliases


def _source_rows(rng, scale, speaker_names):
    """Archived sources with their text, built around the quotes they print; then referenced-only ones.

    Yields (Source, [quote fields]) where each quote's offsets are where its text was placed.
    """
    quotes_left, sources_left = scale.quotes, scale.archived_sources
    for index in range(scale.sources):
        published_on, precision = _partial_date(rng)
        place = rng.choice(PLACES)
        common = {
            "slug": f"{slugify(place)}-report-{index + 1}",
            "language": "fr" if rng.random() < 0.2 else "en",
            "published_on": published_on,
            "published_precision": precision,
            "created_at": _stamp(index, 11),
            "updated_at": _stamp(index, 11),
        }
        if index >= scale.archived_sources:
            yield (
                Source(
                    title=f"Interview on {rng.choice(PUBLISHERS)} about {place}", kind=Source.Kind.INTERVIEW, **common
                ),
                [],
            )
            continue
        count = quotes_left if sources_left == 1 else round(quotes_left / sources_left)
        quotes_left, sources_left = quotes_left - count, sources_left - 1
        title = f"{place}: {_fill(rng, rng.choice(CLAIM_TEMPLATES))}"
        parts, length, quotes = [title, "\n\n"], len(title) + 2, []
        for _ in range(count):
            speaker_index = rng.randrange(scale.speakers)
            text = _quote_text(rng)
            lead = f"{rng.choice(LEAD_INS)} {speaker_names[speaker_index]} said: “"
            start = length + len(lead)
            parts += [lead, text, "”\n"]
            length = start + len(text) + 2
            quotes.append({"speaker_index": speaker_index, "text": text, "start": start, "end": start + len(text)})
        text = "".join(parts)
        source = Source(
            title=title,
            kind=Source.Kind.ARTICLE,
            publisher=rng.choice(PUBLISHERS),
            author=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            url=f"https://news.example.org/{common['slug']}",
            text=text,
            sha256=Source.checksum(text),
            **common,
        )
        yield source, quotes


def _quote(rng, index, fields, source, speakers, referenced):
    said_on, said_precision = _partial_date(rng) if rng.random() < 0.7 else (None, "")
    roll = rng.random()
    kind = Quote.Kind.DIRECT if roll < 0.7 else Quote.Kind.PARAPHRASE if roll < 0.9 else Quote.Kind.COMMUNIQUE
    text = fields["text"]
    quote = Quote(
        speaker=speakers[fields["speaker_index"]],
        source=source,
        text=text,
        start=fields["start"],
        end=fields["end"],
        kind=kind,
        said_on=said_on,
        said_precision=said_precision,
        said_venue=f"press conference in {rng.choice(PLACES)}" if rng.random() < 0.2 else "",
        origin=rng.choice(referenced) if referenced and rng.random() < 0.1 else None,
        language=source.language,
        is_translation=source.language == "en" and rng.random() < 0.3,
        created_at=_stamp(index, 3),
        updated_at=_stamp(index, 3),
    )
    quote.derive_fields()  # what the pre_save signal does; bulk_create sends no signals
    return quote


def generate_corpus(*, claims, seed=DEFAULT_SEED, batch_size=2000, progress=print):
    """Write the synthetic record for `claims` claims in one transaction; return the row counts."""
    scale, rng = Scale(claims), random.Random(seed)
    batches = _Batches(batch_size, progress)
    with transaction.atomic(), explicit_timestamps(Speaker, Source, Quote, Claim, Attribution, ClaimRelation, Review):
        reviewer, _ = get_user_model().objects.get_or_create(
            username=REVIEWER_USERNAME, defaults={"first_name": "Corpus", "last_name": "Reviewer", "is_staff": True}
        )
        topics = [Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0] for name, slug in TOPICS]

        speaker_rows = list(_speakers(rng, scale))
        speakers = batches.create(
            Speaker,
            (
                Speaker(
                    name=name,
                    slug=f"{slugify(name)}-{index + 1}",
                    kind=kind,
                    description=f"Synthetic speaker {index + 1}.",
                    search_document=search_document(name, *aliases),
                    created_at=_stamp(index, 7),
                    updated_at=_stamp(index, 7),
                )
                for index, name, kind, aliases in speaker_rows
            ),
            scale.speakers,
        )
        batches.create(
            SpeakerAlias,
            (
                SpeakerAlias(speaker=speaker, name=alias, folded_name=fold(alias))
                for speaker, (_, _, _, aliases) in zip(speakers, speaker_rows, strict=True)
                for alias in aliases
            ),
        )

        source_rows = list(_source_rows(rng, scale, [name for _, name, _, _ in speaker_rows]))
        sources = batches.create(Source, (source for source, _ in source_rows), scale.sources)
        referenced = sources[scale.archived_sources :]
        quote_fields = [
            (source, fields) for source, (_, quotes) in zip(sources, source_rows, strict=True) for fields in quotes
        ]
        del source_rows
        quotes = batches.create(
            Quote,
            (
                _quote(rng, index, fields, source, speakers, referenced)
                for index, (source, fields) in enumerate(quote_fields)
            ),
            scale.quotes,
        )
        del quote_fields

        claim_rows = []
        for index in range(scale.claims):
            text = _fill(rng, rng.choice(CLAIM_TEMPLATES))
            claim_rows.append(
                Claim(
                    slug=f"{slugify(text)[:80]}-{index + 1}",
                    text=text,
                    search_document=search_document(text),
                    created_at=_stamp(index, 30),
                    updated_at=_stamp(index, 30),
                )
            )
        claims_created = batches.create(Claim, claim_rows, scale.claims)
        del claim_rows

        topic_links = Claim.topics.through
        batches.create(
            topic_links,
            (
                topic_links(claim_id=claim.pk, topic_id=topic.pk)
                for claim in claims_created
                for topic in rng.sample(topics, rng.choice((1, 1, 2)))
            ),
        )

        def attributions():
            for index, claim in enumerate(claims_created):
                for quote_index in rng.sample(range(len(quotes)), rng.randint(1, 3)):
                    yield Attribution(
                        claim=claim,
                        quote=quotes[quote_index],
                        stance=Attribution.Stance.DENIES if rng.random() < 0.1 else Attribution.Stance.ASSERTS,
                        created_at=_stamp(index, 30),
                        updated_at=_stamp(index, 30),
                    )

        batches.create(Attribution, attributions())

        # Disjoint pairs, so exactly `scale.disputed` claims are disputed and no triple repeats.
        order = rng.sample(range(scale.claims), scale.claims)
        supported = 2 * round(scale.claims * SUPPORTED_SHARE / 2)
        disputes = order[: scale.disputed]
        supports = order[scale.disputed : scale.disputed + supported]

        def relations():
            for kind, chosen in ((ClaimRelation.Kind.DISPUTES, disputes), (ClaimRelation.Kind.SUPPORTS, supports)):
                for a, b in zip(chosen[0::2], chosen[1::2], strict=True):
                    yield ClaimRelation(
                        from_claim=claims_created[max(a, b)],
                        to_claim=claims_created[min(a, b)],
                        kind=kind,
                        note="Synthetic counter-claim." if kind == ClaimRelation.Kind.DISPUTES else "",
                        created_at=claims_created[max(a, b)].created_at,
                        updated_at=claims_created[max(a, b)].created_at,
                    )

        batches.create(ClaimRelation, relations())
        Claim.objects.refresh_disputed()  # bulk inserts send no signals

        reviewed_count = round(scale.claims * PUBLISHED_REVIEW_SHARE)
        drafted_count = round(scale.claims * DRAFT_REVIEW_SHARE)
        reviewed = sorted(rng.sample(range(scale.claims), reviewed_count + drafted_count))
        rng.shuffle(reviewed)
        published, drafted = sorted(reviewed[:reviewed_count]), sorted(reviewed[reviewed_count:])
        review_rows, published_indices = [], set(published)
        for index in published + drafted:
            claim, is_published = claims_created[index], index in published_indices
            stamp = claim.created_at + datetime.timedelta(days=rng.randint(1, 60))
            review_rows.append(
                Review(
                    claim=claim,
                    reviewer=reviewer,
                    rating=rng.choice(PUBLISHED_RATINGS) if is_published else "",
                    rationale=f"Checked against {rng.randint(2, 6)} sources from {rng.choice(PLACES)}.",
                    status=Review.Status.PUBLISHED if is_published else Review.Status.DRAFT,
                    published_at=stamp if is_published else None,
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
        reviews = batches.create(Review, review_rows)
        Claim.objects.refresh_verdicts()  # bulk inserts send no signals
        evidence = Review.evidence_sources.through
        batches.create(
            evidence,
            (evidence(review_id=review.pk, source_id=rng.choice(sources).pk) for review in reviews[: len(published)]),
        )
        Claim.objects.filter(pk__in=[claims_created[i].pk for i in published]).update(review_status="reviewed")
        Claim.objects.filter(pk__in=[claims_created[i].pk for i in drafted]).update(
            review_status="in_review", assigned_to=reviewer
        )

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, or the planner guesses on an empty table's
    return corpus_counts()


def corpus_counts():
    return {
        "speakers": Speaker.objects.count(),
        "aliases": SpeakerAlias.objects.count(),
        "sources": Source.objects.count(),
        "quotes": Quote.objects.count(),
        "claims": Claim.objects.count(),
        "attributions": Attribution.objects.count(),
        "relations": ClaimRelation.objects.count(),
        "disputed": Claim.objects.disputed().count(),
        "reviews": Review.objects.count(),
    }


def corpus_digest():
    """SHA-256 of the record's content keyed by slugs and offsets, never by primary keys.

    Primary keys depend on the database's sequences (which a rolled-back test does not reset),
    so two loads of the same corpus compare equal here even when their ids differ.
    """
    digest = hashlib.sha256()
    parts = [
        Speaker.objects.order_by("slug").values_list("slug", "name", "kind", "search_document", "created_at"),
        SpeakerAlias.objects.order_by("speaker__slug", "name").values_list("speaker__slug", "name", "folded_name"),
        Source.objects.order_by("slug").values_list("slug", "title", "kind", "published_on", "sha256", "language"),
        Quote.objects.order_by("source__slug", "start", "text").values_list(
            "source__slug", "start", "end", "speaker__slug", "text", "kind", "said_on", "origin__slug", "created_at"
        ),
        Claim.objects.order_by("slug").values_list("slug", "text", "review_status", "created_at"),
        Claim.topics.through.objects.order_by("claim__slug", "topic__slug").values_list("claim__slug", "topic__slug"),
        Attribution.objects.order_by("claim__slug", "quote__source__slug", "quote__start").values_list(
            "claim__slug", "quote__source__slug", "quote__start", "stance"
        ),
        ClaimRelation.objects.order_by("from_claim__slug", "to_claim__slug", "kind").values_list(
            "from_claim__slug", "to_claim__slug", "kind"
        ),
        Review.objects.order_by("claim__slug", "status").values_list("claim__slug", "status", "rating", "published_at"),
    ]
    for rows in parts:
        for row in rows.iterator(chunk_size=5000):
            digest.update(repr(row).encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()
