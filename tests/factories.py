"""Tiny factories: each makes one valid object, with keyword overrides."""

import itertools
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from claims import corpus
from claims.models import (
    Attribution,
    Claim,
    ClaimRelation,
    Quote,
    Review,
    Role,
    Source,
    Speaker,
    SpeakerAlias,
    Status,
    Topic,
)

_numbers = itertools.count(1)

ARTICLE_TEXT = (
    "Mali’s foreign minister said “the fate of Mali will not be decided” by the media. "
    "Later he repeated: “the fate of Mali will not be decided” abroad. "
    'Maïga said "France forbade the Malian army from entering" Kidal.'
)


def speaker(**fields):
    n = next(_numbers)
    fields.setdefault("name", f"Speaker {n}")
    fields.setdefault("slug", f"speaker-{n}")
    fields.setdefault("kind", Speaker.Kind.PERSON)
    return Speaker.objects.create(**fields)


def source(**fields):
    n = next(_numbers)
    fields.setdefault("title", f"Source {n}")
    fields.setdefault("slug", f"source-{n}")
    fields.setdefault("kind", Source.Kind.ARTICLE)
    fields.setdefault("text", ARTICLE_TEXT)
    return Source.objects.create(**fields)


def quote(**fields):
    if "source" not in fields:
        fields["source"] = source()
    if "speaker" not in fields:
        fields["speaker"] = speaker()
    fields.setdefault("text", "France forbade the Malian army from entering")
    new_quote = Quote(**fields)
    new_quote.full_clean()
    new_quote.save()
    return new_quote


def claim(**fields):
    n = next(_numbers)
    fields.setdefault("slug", f"claim-{n}")
    fields.setdefault("text", f"Claim number {n} about the Sahel.")
    return Claim.objects.create(**fields)


def attribution(**fields):
    # Not setdefault(..., claim()): that would create the default even when one is given.
    if "claim" not in fields:
        fields["claim"] = claim()
    if "quote" not in fields:
        fields["quote"] = quote()
    return Attribution.objects.create(**fields)


def relation(**fields):
    if "from_claim" not in fields:
        fields["from_claim"] = claim()
    if "to_claim" not in fields:
        fields["to_claim"] = claim()
    fields.setdefault("kind", ClaimRelation.Kind.DISPUTES)
    return ClaimRelation.objects.create(**fields)


def user(*, groups=(), **fields):
    n = next(_numbers)
    fields.setdefault("username", f"user{n}")
    account = get_user_model().objects.create_user(password="correct horse battery staple", **fields)
    for name in groups:
        account.groups.add(Group.objects.get(name=name))
    return account


def alias(**fields):
    if "speaker" not in fields:
        fields["speaker"] = speaker()
    fields.setdefault("name", f"Alias {next(_numbers)}")
    return SpeakerAlias.objects.create(**fields)


def role(**fields):
    if "speaker" not in fields:
        fields["speaker"] = speaker()
    fields.setdefault("title", f"Role {next(_numbers)}")
    return Role.objects.create(**fields)


def topic(**fields):
    n = next(_numbers)
    fields.setdefault("name", f"Topic {n}")
    fields.setdefault("slug", f"topic-{n}")
    return Topic.objects.create(**fields)


def review(**fields):
    if "claim" not in fields:
        fields["claim"] = claim()
    fields.setdefault("rating", "mixed")
    fields.setdefault("rationale", "Both sides have evidence.")
    return Review.objects.create(**fields)


SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed.json"


def record_with_drafts(kind):
    """The seed ("seed") or a generated corpus ("corpus"), with drafts only a curator may see (a quote
    by a draft speaker, carried by a claim, and a draft review) and roles over time, one with no
    known start, on a speaker readers see: what the fast-read equality tests read."""
    if kind == "seed":
        call_command("loaddata", str(SEED), verbosity=0)
    else:
        corpus.generate_corpus(claims=150, progress=lambda message: None)
    attribution = Attribution.objects.order_by("pk").first()
    Speaker.objects.filter(pk=attribution.quote.speaker_id).update(status=Status.DRAFT)
    review(claim=attribution.claim, rationale="Unfinished.")
    speaker = Speaker.objects.filter(status=Status.APPROVED).order_by("pk").first()
    Role.objects.create(speaker=speaker, title="Spokesman", start_date=date(2019, 3, 1), start_precision="month")
    Role.objects.create(speaker=speaker, title="Adviser", organisation="Government of Mali")
