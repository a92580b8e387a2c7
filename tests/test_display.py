"""How stored text and dates are shown in the admin: markdown removed, excerpts cut at words, dates in words."""

import re
from datetime import date
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from claims.display import cut_after, cut_before, excerpt, full_date, partial_date, plain_text, source_line


def test_plain_text_drops_heading_marks_bold_and_link_syntax_keeping_the_words():
    markdown = "# Forty-nine Malian soldiers dead\n\nFor more, see **[wsws.org/contact](https://wsws.org/contact)**."
    assert plain_text(markdown) == "Forty-nine Malian soldiers dead\n\nFor more, see wsws.org/contact."


def test_plain_text_drops_emphasis_quote_marks_rules_and_markdown_line_breaks():
    markdown = "*Le Point* wrote:\n> it is over\n\n---\nAlex Lantier  \n5 November 2019"
    assert plain_text(markdown) == "Le Point wrote:\nit is over\n\nAlex Lantier\n5 November 2019"


def test_plain_text_keeps_editorial_brackets_and_lone_asterisks():
    assert plain_text("How [does he] know their intention?") == "How [does he] know their intention?"
    assert plain_text("a * b = c") == "a * b = c"


def test_plain_text_of_a_fragment_drops_the_halves_of_links_cut_by_the_excerpt():
    assert plain_text("contact](https://wsws.org/contact)** and more") == "contact and more"
    assert plain_text("see **[wsws.org/contact](https://wsws.o") == "see wsws.org/contact"


def test_cuts_fall_on_whole_words_only_where_the_text_was_cut():
    assert cut_before("ttack on a Malian army outpost", truncated=True) == "on a Malian army outpost"
    assert cut_before("An attack on", truncated=False) == "An attack on"
    assert cut_after("near the border with Ni", truncated=True) == "near the border with"
    assert cut_after("near the border", truncated=False) == "near the border"
    assert cut_after("Aaaaaa", truncated=True) == ""


def test_excerpt_keeps_the_quote_exactly_and_tidies_only_its_surroundings():
    text = (
        "# Headline here\n\nThe minister said **“we will win”** at the [expo](https://example.org) yesterday evening."
    )
    start = text.index("“we will win”")
    before, exact, after = excerpt(text, start, start + len("“we will win”"), 24)
    assert exact == "“we will win”"
    # "re" (of "here") and the link cut inside its URL are dropped, not shown half.
    assert before == "The minister said "
    assert after == " at the"
    assert "#" not in before and "**" not in before + after


def test_partial_dates_say_no_more_than_is_known():
    assert partial_date(date(2019, 11, 5), "day") == "5 November 2019"
    assert partial_date(date(2025, 11, 1), "month") == "November 2025"
    assert partial_date(date(2019, 1, 1), "year") == "2019"
    assert partial_date(None, "") == ""
    assert full_date(date(2019, 11, 5)) == "5 November 2019"


def _quote(**fields):
    source = SimpleNamespace(
        title="Fuel blockade", publisher="Peoples Dispatch", published_on=date(2025, 11, 1), published_precision="month"
    )
    values = {"source": source, "said_venue": "", "said_on": None, "said_precision": "", "origin": None}
    return SimpleNamespace(**(values | fields))


def test_source_line_puts_the_article_date_first_then_where_and_when_it_was_said():
    origin = SimpleNamespace(title="France Inter", published_on=date(2025, 11, 10), published_precision="day")
    quote = _quote(said_venue="Interview", said_on=date(2021, 1, 1), said_precision="year", origin=origin)
    assert source_line(quote) == (
        "Peoples Dispatch, November 2025; said at Interview, 2021; originally France Inter, 10 November 2025"
    )


def test_source_line_does_not_repeat_the_article_date_as_the_date_said():
    quote = _quote(said_on=date(2025, 11, 1), said_precision="month")
    assert source_line(quote) == "Peoples Dispatch, November 2025"


def test_source_line_without_venue_or_publisher_has_no_dangling_separators():
    quote = _quote(said_on=date(2019, 11, 5), said_precision="day")
    quote.source.publisher = ""
    assert source_line(quote) == "November 2025; said on 5 November 2019"
    assert " ;" not in source_line(_quote(said_venue="BAMEX 25"))
    assert source_line(_quote(said_venue="BAMEX 25")) == "Peoples Dispatch, November 2025; said at BAMEX 25"


_OLD_CUT = re.compile(r"\s(?=\S*$)")


def _old_cut_after(text):
    """cut_after(text, truncated=True) as it was first written: the reference for the faster one."""
    match = _OLD_CUT.search(text)
    return "" if match is None else text[: match.start()].rstrip()


@given(st.text(alphabet=st.sampled_from(["a", "é", " ", "\n", "\t", "\u00a0", "\u2009", "-", "."]), max_size=40))
def test_cut_after_ends_where_the_first_written_regular_expression_ended(text):
    assert cut_after(text, truncated=True) == _old_cut_after(text)


def test_cut_after_does_not_count_a_final_newline_as_the_cut():
    assert cut_after("near the border\n", truncated=True) == "near the"
    assert cut_after("border\n", truncated=True) == "border"
    assert cut_after("near the\n\n", truncated=True) == "near the"
