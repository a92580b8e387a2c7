"""Sentences and clauses: where they start and end, with quotations masked out."""

import re

_SENTENCE_END = re.compile(r"[.!?][\"”’»*_)\]]*(?=\s)|\n")
_MASK = "\x00"


def _masked(text, quotations):
    """The text with every quotation blanked out, so the words inside never pass for cues."""
    chars = list(text)
    for quotation in quotations:
        last = text[quotation.end - 1]
        for k in range(quotation.start, quotation.end):
            chars[k] = _MASK
        if last in ".!?":
            chars[quotation.end - 1] = last
    return "".join(chars)


def _sentence_start(masked, position):
    start = 0
    for match in _SENTENCE_END.finditer(masked, 0, position):
        start = match.end()
    return start


def _sentence_end(masked, position):
    match = _SENTENCE_END.search(masked, position)
    return match.start() if match else len(masked)


def _comma_pieces(segment, offset):
    pieces, start = [], 0
    for match in re.finditer(r",|\(|\)|\s[-–—]\s|:", segment):
        pieces.append((offset + start, offset + match.start()))
        start = match.end()
    pieces.append((offset + start, offset + len(segment)))
    return pieces


def _excerpt(masked, start, end, limit=120):
    words = masked[start:end].replace(_MASK, "").strip(" ,:\n")
    words = re.sub(r"\s+", " ", words)
    return words if len(words) <= limit else words[: limit - 1] + "…"
