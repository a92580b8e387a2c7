"""How the admin shows stored text to people: excerpts without markdown, cut at words, dates in words.

Display only: the stored text (the archive, the evidence) is never changed by anything here.
Plain functions with no Django imports, so they are tested on their own (tests/test_display.py).
"""

import re
from datetime import date

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

_IMAGE_OR_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
# What is left of a link whose opening bracket fell outside an excerpt: "contact](https://…)".
_LINK_TAIL = re.compile(r"\]\([^)\s]*\)")
# …and of one whose closing part fell outside: "[wsws.org/contact](https://ws" at the end of an excerpt.
_LINK_HEAD = re.compile(r"\[([^\]\n]*)(?:\]\([^)\s]*)?$")
_ANGLE_URL = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*$", re.MULTILINE)
_RULE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE)
_BLOCKQUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE)
_BULLET = re.compile(r"^([ \t]*)[*+][ \t]+", re.MULTILINE)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_STRAY_MARKERS = re.compile(r"\*\*|(?<![\w])__|__(?![\w])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")
_HARD_BREAK = re.compile(r"[ \t]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")


def plain_text(markdown):
    """`markdown` as a reader sees it rendered: no #, **, [text](url) or > markers, the words kept.

    Works on fragments too (an excerpt can start or end inside a link or a bold run): a marker
    whose other half is outside the fragment is dropped rather than shown.
    """
    text = markdown or ""
    text = _IMAGE_OR_LINK.sub(r"\1", text)
    text = _LINK_TAIL.sub("", text)
    text = _LINK_HEAD.sub(r"\1", text)
    text = _ANGLE_URL.sub(r"\1", text)
    text = _RULE.sub("", text)
    text = _HEADING_CLOSE.sub("", _HEADING.sub("", text))
    text = _BLOCKQUOTE.sub("", text)
    text = _BULLET.sub(r"\1• ", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\1", text)
    text = _STRAY_MARKERS.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    return _BLANK_LINES.sub("\n\n", _HARD_BREAK.sub("\n", text))


def cut_before(text, *, truncated):
    """The end of `text` (what precedes a quote), starting at a whole word when it was cut mid-word."""
    if not truncated:
        return text
    match = re.search(r"\s", text)
    return "" if match is None else text[match.end() :].lstrip()


# Up to the text's last whitespace, found from the end: a search for "whitespace with no more
# whitespace after it" tried every position from the start (3.4 µs for an API excerpt, ≈ 0.2).
_UP_TO_LAST_SPACE = re.compile(r"(?s:.*)\s")


def cut_after(text, *, truncated):
    """The start of `text` (what follows a quote), ending at a whole word when it was cut mid-word.

    The cut is at the last whitespace; a newline ending `text` is not counted (as `$` did not count
    it in the regular expression this replaces: responses stay the same).
    """
    if not truncated:
        return text
    ends_a_line = text.endswith("\n")
    words = text[:-1] if ends_a_line else text
    match = _UP_TO_LAST_SPACE.match(words)
    if match is None:  # one word: nothing before it, or all of it when only a newline follows
        return words if ends_a_line else ""
    return text[: match.end() - 1].rstrip()


def excerpt(source_text, start, end, width):
    """(before, quote, after) around `source_text[start:end]`, as plain text cut at whole words.

    The quote itself is shown exactly as stored; only its surroundings are tidied for reading.
    """
    before_start, after_end = max(0, start - width), min(len(source_text), end + width)
    before = cut_before(plain_text(source_text[before_start:start]), truncated=before_start > 0)
    after = cut_after(plain_text(source_text[end:after_end]), truncated=after_end < len(source_text))
    # Blank lines at the edges of an excerpt only push the quote down.
    return before.lstrip("\n"), source_text[start:end], after.rstrip("\n")


def partial_date(value, precision):
    """ "5 November 2019", "November 2025" or "2019": a date with no more precision than is known."""
    if value is None:
        return ""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def full_date(value):
    """A day in words ("5 November 2019"): never 05/11/2019, which reads as 11 May to half the world."""
    return partial_date(value, "day") if isinstance(value, date) else ""


def source_line(quote):
    """Where a quote was printed and first said, after the source's title, as a reader expects it.

    "Peoples Dispatch, November 2025; said at Interview, 2021; originally France Inter, 10 November 2025":
    the publisher with the article's own date first, then the venue with the date the words were said.
    """
    printed = ", ".join(part for part in [quote.source.publisher, _source_date(quote.source)] if part)
    parts = [printed]
    said_on = partial_date(quote.said_on, quote.said_precision)
    if said_on == _source_date(quote.source):
        said_on = ""  # said in the article itself (a headline): its date is already there
    if quote.said_venue:
        parts.append(", ".join(part for part in [f"said at {quote.said_venue}", said_on] if part))
    elif said_on:
        parts.append(f"said {'on' if quote.said_precision == 'day' else 'in'} {said_on}")
    origin = quote.origin
    if origin is not None:
        parts.append("originally " + ", ".join(part for part in [origin.title, _source_date(origin)] if part))
    return "; ".join(part for part in parts if part)


def _source_date(source):
    return partial_date(source.published_on, source.published_precision)
