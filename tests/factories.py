"""Tiny factories: each makes one valid object, with keyword overrides."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims.models import Attribution, Claim, ClaimRelation, Quote, Review, Role, Source, Speaker, SpeakerAlias, Topic

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
