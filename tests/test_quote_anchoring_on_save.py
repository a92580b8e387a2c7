"""Saving a quote anchors it in its source, or refuses it with the reason."""

import pytest
from django.core.exceptions import ValidationError

from claims.models import Quote
from tests import factories

pytestmark = pytest.mark.django_db


def test_quote_without_offsets_is_anchored_when_saved():
    quote = factories.quote(text="France forbade the Malian army")
    assert quote.source.text[quote.start : quote.end] == "France forbade the Malian army"
    assert quote.is_anchored


def test_quote_not_in_its_source_is_refused_with_the_closest_passage():
    with pytest.raises(ValidationError) as refused:
        factories.quote(text="France forbid the Malian army")
    message = refused.value.message_dict["text"][0]
    assert "Closest passage" in message and "France forbade the Malian army" in message


def test_repeated_text_without_offsets_is_refused_listing_occurrences():
    with pytest.raises(ValidationError) as refused:
        factories.quote(text="the fate of Mali will not be decided")
    assert "occurs 2 times" in refused.value.message_dict["text"][0]


def test_repeated_text_is_saved_at_the_occurrence_its_offset_names():
    source = factories.source()
    second = source.text.rindex("the fate of Mali will not be decided")
    quote = factories.quote(source=source, text="the fate of Mali will not be decided", start=second)
    assert (quote.start, quote.end) == (second, second + len("the fate of Mali will not be decided"))


def test_wrong_offsets_are_refused_on_the_start_field():
    with pytest.raises(ValidationError) as refused:
        factories.quote(text="France forbade", start=0)
    assert "start" in refused.value.message_dict


def test_quote_in_a_referenced_only_source_is_saved_unanchored():
    radio = factories.source(text="", kind="broadcast")
    quote = factories.quote(source=radio, text="Africa is now the epicenter of terrorism")
    assert not quote.is_anchored
    assert Quote.objects.unanchored().filter(pk=quote.pk).exists()


def test_editorial_marks_are_flagged():
    source = factories.source(text="He said “the new paradigm [in the AES] is to trust ourselves … now”.")
    quote = factories.quote(source=source, text="the new paradigm [in the AES] is to trust ourselves … now")
    assert quote.has_editorial_marks
