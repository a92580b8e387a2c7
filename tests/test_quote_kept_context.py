"""Each anchored quote keeps its selector's prefix and suffix (anchoring.kept_context()), so that
reads need not cut them out of its source's text; a read uses them only while they are for the
quote's current source text, offsets and text, and cuts them from the source otherwise."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import BooleanField, ExpressionWrapper, F
from rest_framework.test import APIClient

from claims import anchoring
from claims.api.reads import kept_context_is_current
from claims.models import KEPT_CONTEXT_FIELDS, Quote, Source
from tests import factories

pytestmark = pytest.mark.django_db

REPEATED = "the fate of Mali will not be decided"


def _with_current(quotes):
    return quotes.annotate(current=ExpressionWrapper(kept_context_is_current(), output_field=BooleanField()))


def _selector(quote):
    return APIClient().get(f"/api/quotes/{quote.pk}/").json()["selector"]


def test_a_quote_not_at_its_offsets_keeps_no_context():
    text = "Bamako answered at once. Kidal said nothing."
    assert anchoring.kept_context(text, "c" * 64, 0, 6, "Kidal") == ("", "", "")
    assert anchoring.kept_context(text, "c" * 64, None, None, "Kidal") == ("", "", "")


def test_a_kept_context_is_the_selectors_prefix_and_suffix():
    text = "Bamako answered at once. Kidal said nothing for a week."
    start = text.index("Kidal")
    prefix, suffix, fingerprint = anchoring.kept_context(text, "c" * 64, start, start + 5, "Kidal", width=8)
    assert (prefix, "Kidal", suffix) == anchoring.context(text, start, start + 5, width=8)
    assert fingerprint == anchoring.context_fingerprint("c" * 64, start, start + 5, "Kidal", width=8)
    assert fingerprint != anchoring.context_fingerprint("c" * 64, start, start + 5, "Kidal", width=9)


def test_a_saved_quote_keeps_the_context_of_its_offsets():
    quote = factories.quote()
    prefix, exact, suffix = quote.context()
    stored = Quote.objects.values("context_prefix", "context_suffix", "context_fingerprint").get(pk=quote.pk)
    assert (stored["context_prefix"], exact, stored["context_suffix"]) == (prefix, quote.text, suffix)
    assert prefix and suffix
    source = quote.source
    assert stored["context_fingerprint"] == anchoring.context_fingerprint(source.sha256, quote.start, quote.end, exact)


def test_a_quote_moved_and_saved_keeps_the_context_of_its_new_offsets():
    quote = factories.quote(text=REPEATED, start=factories.ARTICLE_TEXT.index(REPEATED))
    first = Quote.objects.values_list("context_prefix", flat=True).get(pk=quote.pk)
    quote.start = factories.ARTICLE_TEXT.index(REPEATED, quote.start + 1)
    quote.end = quote.start + len(REPEATED)
    quote.full_clean()
    quote.save()
    moved = Quote.objects.values_list("context_prefix", flat=True).get(pk=quote.pk)
    assert moved != first
    assert moved == quote.context()[0]


@pytest.mark.parametrize("text", ["Maïga", "« Non », a dit Goïta", "Kidal 🇲🇱 — “no”", "a'b\\c%_"])
def test_the_databases_fingerprint_of_a_quote_is_pythons(text):
    source = factories.source(text=f"Before it: {text}, and after it.")
    quote = factories.quote(source=source, text=text)
    assert quote.context_fingerprint == anchoring.context_fingerprint(source.sha256, quote.start, quote.end, text)
    assert _with_current(Quote.objects.filter(pk=quote.pk)).get().current is True


def test_a_current_kept_context_is_read_without_cutting_the_source():
    quote = factories.quote()
    # Rewritten behind the model's back, fingerprint untouched: what a read shows can come only from the kept columns.
    Quote.objects.filter(pk=quote.pk).update(context_prefix="«kept prefix»", context_suffix="«kept suffix»")
    assert _selector(quote) == {
        "type": "TextQuoteSelector",
        "prefix": "«kept prefix»",
        "exact": quote.text,
        "suffix": "«kept suffix»",
    }


def test_a_kept_context_left_behind_by_moved_offsets_is_not_read():
    quote = factories.quote(text=REPEATED, start=factories.ARTICLE_TEXT.index(REPEATED))
    elsewhere = factories.ARTICLE_TEXT.index(REPEATED, quote.start + 1)
    Quote.objects.filter(pk=quote.pk).update(start=elsewhere, end=elsewhere + len(REPEATED))  # no save(), no signal
    prefix, exact, suffix = anchoring.context(factories.ARTICLE_TEXT, elsewhere, elsewhere + len(REPEATED))
    assert _selector(quote) == {"type": "TextQuoteSelector", "prefix": prefix, "exact": exact, "suffix": suffix}


def test_a_kept_context_left_behind_by_a_changed_source_text_is_not_read():
    quote = factories.quote()
    changed = "Preface. " + quote.source.text
    Source.objects.filter(pk=quote.source_id).update(text=changed, sha256=Source.checksum(changed))
    prefix, exact, suffix = anchoring.context(changed, quote.start, quote.end)
    assert _selector(quote)["prefix"] == prefix
    assert _selector(quote)["exact"] == exact != quote.text
    assert APIClient().get(f"/api/quotes/{quote.pk}/").json()["anchoring"] == "mismatch"


def test_the_seed_quotes_keep_current_contexts():
    call_command("load_seed", verbosity=0)
    anchored = _with_current(Quote.objects.filter(start__isnull=False))
    assert anchored.count() > 90
    assert not anchored.filter(current=False).exists()


def test_the_migration_keeps_every_anchored_quotes_context():
    quotes = [factories.quote(), factories.quote(text=REPEATED, start=factories.ARTICLE_TEXT.index(REPEATED))]
    kept = {row[0]: row[1:] for row in Quote.objects.values_list("pk", *KEPT_CONTEXT_FIELDS)}
    Quote.objects.update(context_prefix="", context_suffix="", context_fingerprint="")
    Quote.objects.filter(pk=quotes[0].pk).update(end=F("end") + 1)  # no longer at its offsets: keeps nothing
    migration = importlib.import_module("claims.migrations.0018_quote_kept_context")
    migration.keep_contexts(apps, schema_editor=None)
    after = {row[0]: row[1:] for row in Quote.objects.values_list("pk", *KEPT_CONTEXT_FIELDS)}
    assert after == {quotes[0].pk: ("", "", ""), quotes[1].pk: kept[quotes[1].pk]}
    assert all(after[quotes[1].pk])

