"""Paragraphs and headlines: where a text breaks, and which lines are titles."""

import re

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")
_REST_IS_SPACE = re.compile(r"\s*\Z")
_LEADING_SPACE = re.compile(r"\s*")


def _paragraph_ends(text):
    ends = [match.start() for match in _PARAGRAPH_BREAK.finditer(text)]
    return ends + [len(text)]


def _is_heading_line(text, start, end):
    """The line holding text[start:end] is a title: a markdown heading, or a short line standing alone."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    if line_end - line_start > 400:
        return False  # no title is that long (and copying a long line for every quotation in it is quadratic)
    line = text[line_start:line_end].strip()
    if line.startswith("#") or _is_title_line(text, line_start, line, line_end):
        return True
    # Only the characters next to the line are read: slicing the text before or after it per quotation was quadratic.
    before_blank = line_start < 2 or text[line_start - 2] == "\n"
    rest_is_blank = bool(_REST_IS_SPACE.match(text, line_end))
    after_blank = line_end == len(text) or text.startswith("\n\n", line_end) or rest_is_blank
    # A title does not end like a sentence; a quotation that is the whole line may end with its own "?".
    outside = line.replace(text[start:end], "")
    ends_like_sentence = bool(re.search(r"[.:;,]$", outside.rstrip(' "”’“»*_')))
    # A scare quote inside a sentence on a line of its own is no headline; a title quoting words,
    # or a line that is one quotation, is.
    is_first_line = _LEADING_SPACE.match(text).end() >= line_start
    mostly_quoted = len(re.sub(r"[\W_]+", "", outside)) <= len(re.sub(r"[\W_]+", "", line)) * 0.25
    standalone = before_blank and after_blank and len(line) <= 160 and not ends_like_sentence
    return standalone and (mostly_quoted or is_first_line) and not rest_is_blank


_TITLE_LINES = 3  # a site banner, the headline, a dateline: the title is among the first lines


def _is_title_line(text, line_start, line, line_end):
    """One of the text's first lines, short, not ending like a sentence, with the article after it."""
    if line_start > 600 or len(line) > 160 or re.search(r"[.:;,]$", line.rstrip(' "”’“»*_')):
        return False
    earlier = [row for row in text[:line_start].split("\n") if row.strip()]
    return len(earlier) < _TITLE_LINES and bool(text[line_end:].strip())
