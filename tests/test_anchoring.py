"""The anchoring module: exact matching on the printed characters."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims import anchoring

TEXT = 'He said “Mali will endure.” Then: “Mali will endure.” And "Mali will endure" … [sic] Ménaka.'


def test_exact_unique_text_is_anchored_at_its_offsets():
    found = anchoring.anchor(TEXT, "Then:")
    assert TEXT[found.start : found.end] == "Then:"


def test_given_offsets_are_checked_against_the_text():
    start = TEXT.index("Then")
    assert anchoring.anchor(TEXT, "Then:", start) == anchoring.Anchor(start, start + 5)


def test_repeated_text_without_offsets_is_refused_listing_each_occurrence():
    with pytest.raises(anchoring.AmbiguousQuote) as refused:
        anchoring.anchor(TEXT, "Mali will endure.”")
    first = TEXT.index("Mali will endure.”")
    second = TEXT.index("Mali will endure.”", first + 1)
    assert [start for start, _ in refused.value.occurrences] == [first, second]
    assert str(first) in str(refused.value) and str(second) in str(refused.value)


def test_repeated_text_is_resolved_by_its_start_offset():
    second = TEXT.index("Mali will endure.”", TEXT.index("Mali will endure.”") + 1)
    assert anchoring.anchor(TEXT, "Mali will endure.”", second).start == second


def test_missing_text_is_refused_with_the_closest_passage():
    with pytest.raises(anchoring.QuoteNotFound) as refused:
        anchoring.anchor(TEXT, "Mali shall endure.”")
    closest = refused.value.closest
    assert closest.text == "Mali will endure.”"
    assert TEXT[closest.start : closest.end] == closest.text
    assert "Closest passage" in str(refused.value)


def test_curly_and_straight_quotes_are_different_characters():
    assert anchoring.find_occurrences(TEXT, "“Mali will endure.”") != []
    with pytest.raises(anchoring.QuoteNotFound):
        anchoring.anchor(TEXT, '"Mali will endure."')


def test_accented_text_matches_only_with_its_accents():
    assert anchoring.anchor(TEXT, "Ménaka").start == TEXT.index("Ménaka")
    with pytest.raises(anchoring.QuoteNotFound):
        anchoring.anchor(TEXT, "Menaka")


def test_offsets_pointing_at_other_text_are_refused_with_what_stands_there():
    with pytest.raises(anchoring.OffsetMismatch) as refused:
        anchoring.anchor(TEXT, "Then:", 0)
    assert refused.value.found == TEXT[:5]
    assert str(TEXT.index("Then:")) in str(refused.value)


@pytest.mark.parametrize("start,end", [(-1, 3), (5, 5), (5, 2), (0, 10_000)])
def test_invalid_offsets_are_refused(start, end):
    with pytest.raises(anchoring.InvalidOffsets):
        anchoring.anchor(TEXT, TEXT[:3], start, end)


def test_context_gives_prefix_exact_and_suffix():
    start = TEXT.index("Then")
    prefix, exact, suffix = anchoring.context(TEXT, start, start + 5, width=4)
    assert (prefix, exact, suffix) == (TEXT[start - 4 : start], "Then:", TEXT[start + 5 : start + 9])


@pytest.mark.parametrize(
    "text,marked", [("a … b", True), ("a... b", True), ("the new paradigm [in the AES] is", True), ("plain", False)]
)
def test_editorial_marks_are_detected(text, marked):
    assert anchoring.has_editorial_marks(text) is marked


@given(st.text(min_size=1, max_size=200), st.data())
def test_any_substring_occurring_once_anchors_back_to_itself(source_text, data):
    start = data.draw(st.integers(0, len(source_text) - 1))
    end = data.draw(st.integers(start + 1, len(source_text)))
    piece = source_text[start:end]
    found = anchoring.anchor(source_text, piece, start)
    assert source_text[found.start : found.end] == piece
    if len(anchoring.find_occurrences(source_text, piece)) == 1:
        assert anchoring.anchor(source_text, piece) == found
