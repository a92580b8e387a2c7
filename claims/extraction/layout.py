"""Paragraphs and headlines: where a text breaks, and which lines are titles."""

import re

_LONGEST_TITLE = 400  # characters on a title's line
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")
_REST_IS_SPACE = re.compile(r"\s*\Z")
_LEADING_SPACE = re.compile(r"\s*")
_ENDS_LIKE_SENTENCE = re.compile(r"[.:;,]$")
_NON_WORD = re.compile(r"[\W_]+")


def _paragraph_ends(text):
    ends = [match.start() for match in _PARAGRAPH_BREAK.finditer(text)]
    return ends + [len(text)]


def _is_heading_line(text, start, end):
    """The line holding text[start:end] is a title: a markdown heading, or a short line standing alone."""
    # No title is that long; the line's ends are looked for only that far from the quotation, since
    # reading a whole long line (a text without line breaks) for every quotation in it is quadratic.
    newline = text.rfind("\n", max(0, start - _LONGEST_TITLE - 1), start)
    if newline == -1 and start > _LONGEST_TITLE + 1:
        return False
    line_start = newline + 1
    line_end = text.find("\n", end, line_start + _LONGEST_TITLE + 1)
    if line_end == -1:
        if line_start + _LONGEST_TITLE + 1 < len(text):
            return False
        line_end = len(text)
    if line_end - line_start > _LONGEST_TITLE:
        return False
    line = text[line_start:line_end].strip()
    if line.startswith("#") or _is_title_line(text, line_start, line, line_end):
        return True
    # Only the characters next to the line are read: slicing the text before or after it per quotation was quadratic.
    before_blank = line_start < 2 or text[line_start - 2] == "\n"
    rest_is_blank = bool(_REST_IS_SPACE.match(text, line_end))
    after_blank = line_end == len(text) or text.startswith("\n\n", line_end) or rest_is_blank
    if not (before_blank and after_blank and len(line) <= 160) or rest_is_blank:
        return False  # not a line standing alone: the wording of the line need not be read
    # A title does not end like a sentence; a quotation that is the whole line may end with its own "?".
    outside = line.replace(text[start:end], "")
    if _ENDS_LIKE_SENTENCE.search(outside.rstrip(' "”’“»*_')):
        return False
    # A scare quote inside a sentence on a line of its own is no headline; a title quoting words,
    # or a line that is one quotation, is.
    is_first_line = _LEADING_SPACE.match(text).end() >= line_start
    return is_first_line or len(_NON_WORD.sub("", outside)) <= len(_NON_WORD.sub("", line)) * 0.25


_TITLE_LINES = 3  # a site banner, the headline, a dateline: the title is among the first lines


def _is_title_line(text, line_start, line, line_end):
    """One of the text's first lines, short, not ending like a sentence, with the article after it."""
    if line_start > 600 or len(line) > 160 or re.search(r"[.:;,]$", line.rstrip(' "”’“»*_')):
        return False
    earlier = [row for row in text[:line_start].split("\n") if row.strip()]
    return len(earlier) < _TITLE_LINES and bool(text[line_end:].strip())
