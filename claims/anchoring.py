"""Anchoring a quotation in the text of its source.

A quote is anchored when its exact characters stand at its offsets in the archived text (the
W3C Web Annotation TextPositionSelector); the prefix/exact/suffix triple is its TextQuoteSelector.
Matching is exact on the stored characters: curly and straight quotes, ellipses, accents and
brackets are all different characters, because the archive is the evidence.

Plain functions, no Django: the model, the API, the importer and verify_quotes all call these.
"""

import difflib
import hashlib
import re
from dataclasses import dataclass

# Characters of the source shown on each side of a quote (its TextQuoteSelector prefix and suffix).
CONTEXT_WIDTH = 60

# Marks an editor puts inside a quotation: ellipses for cuts, brackets for inserted words.
_EDITORIAL_MARKS = re.compile(r"…|\.\.\.|\[[^\]]*\]")


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    text: str
    similarity: float


class AnchoringError(ValueError):
    """The quote cannot be anchored; `code` says why, the message says it to a person."""

    code = "anchoring_failed"


class QuoteNotFound(AnchoringError):
    code = "quote_not_in_source"

    def __init__(self, closest):
        self.closest = closest
        message = "This text does not occur in the source."
        if closest is not None:
            message += f" Closest passage at {closest.start}–{closest.end}: “{closest.text}”"
        super().__init__(message)


class AmbiguousQuote(AnchoringError):
    code = "quote_ambiguous"

    def __init__(self, occurrences):
        self.occurrences = occurrences
        listed = ", ".join(f"{start}–{start + length}" for start, length in occurrences)
        super().__init__(
            f"This text occurs {len(occurrences)} times in the source (at {listed}); "
            "give the start offset of the one you mean."
        )


class OffsetMismatch(AnchoringError):
    code = "offset_mismatch"

    def __init__(self, start, end, found, occurrences):
        self.found = found
        self.occurrences = occurrences
        message = f"The source text at {start}–{end} is “{found}”, not the quote."
        if occurrences:
            starts = ", ".join(str(start) for start, _ in occurrences)
            message += f" The quote occurs at offset {starts}."
        super().__init__(message)


class InvalidOffsets(AnchoringError):
    code = "invalid_offsets"


def find_occurrences(source_text, quote_text):
    """Every (start, length) where `quote_text` occurs in `source_text`, overlaps included."""
    if not quote_text:
        return []
    occurrences = []
    position = source_text.find(quote_text)
    while position != -1:
        occurrences.append((position, len(quote_text)))
        position = source_text.find(quote_text, position + 1)
    return occurrences


def anchor(source_text, quote_text, start=None, end=None):
    """Return the Anchor of `quote_text` in `source_text`, or raise an AnchoringError.

    With a start offset the quote must stand exactly there; without one it must occur exactly
    once, since picking one of several occurrences would be a silent guess.
    """
    if not quote_text:
        raise InvalidOffsets("The quote text is empty.")
    if start is None and end is not None:
        raise InvalidOffsets("An end offset needs a start offset.")
    if start is not None:
        if end is None:
            end = start + len(quote_text)
        if start < 0 or end <= start:
            raise InvalidOffsets(f"Offsets must satisfy 0 <= start < end (got {start}–{end}).")
        if end > len(source_text):
            raise InvalidOffsets(f"The end offset {end} is past the end of the source ({len(source_text)} characters).")
        found = source_text[start:end]
        if found != quote_text:
            raise OffsetMismatch(start, end, found, find_occurrences(source_text, quote_text))
        return Anchor(start, end)

    occurrences = find_occurrences(source_text, quote_text)
    if not occurrences:
        raise QuoteNotFound(closest_passage(source_text, quote_text))
    if len(occurrences) > 1:
        raise AmbiguousQuote(occurrences)
    found_start, length = occurrences[0]
    return Anchor(found_start, found_start + length)


def closest_passage(source_text, quote_text):
    """The passage of `source_text` most like `quote_text` (same length), or None if nothing is."""
    if not source_text or not quote_text:
        return None
    matcher = difflib.SequenceMatcher(None, source_text, quote_text, autojunk=False)
    length = len(quote_text)
    candidate_starts = {
        max(0, min(block.a - block.b, len(source_text) - length))
        for block in matcher.get_matching_blocks()
        if block.size >= 3
    }
    # Cuts and insertions change the length, so windows a little shorter or longer compete too.
    slack = max(2, length // 10)
    best = None
    for start in sorted(candidate_starts):
        for size in range(max(1, length - slack), length + slack + 1):
            window = source_text[start : start + size]
            similarity = difflib.SequenceMatcher(None, window, quote_text, autojunk=False).ratio()
            if best is None or similarity > best.similarity:
                best = Passage(start, start + len(window), window, similarity)
    return best and Passage(best.start, best.end, best.text, round(best.similarity, 3))


def context(source_text, start, end, width=CONTEXT_WIDTH):
    """(prefix, exact, suffix) around an anchored quote, like a W3C TextQuoteSelector."""
    return (
        source_text[max(0, start - width) : start],
        source_text[start:end],
        source_text[end : end + width],
    )


def kept_context(source_text, checksum, start, end, quote_text, width=CONTEXT_WIDTH):
    """(prefix, suffix, fingerprint) a quote keeps so that reads need not cut them out of its source.

    Cutting means decompressing the source text and counting characters up to the offsets, for
    every quote of every page. The fingerprint says what the prefix and suffix were cut for: their
    width, the source's checksum, the offsets and the quote's text, which stood at them. A read
    uses them only while the quote's current values give the same fingerprint, and cuts them
    otherwise. A quote not at its offsets keeps nothing ("", "", ""): its reads always cut.
    """
    if start is None or end is None or source_text[start:end] != quote_text:
        return "", "", ""
    prefix, _, suffix = context(source_text, start, end, width)
    return prefix, suffix, context_fingerprint(checksum, start, end, quote_text, width)


def context_fingerprint(checksum, start, end, quote_text, width=CONTEXT_WIDTH):
    """The MD5 of "width:checksum:start:end:text", which SQL computes alike (api.reads.kept_context_is_current())."""
    return hashlib.md5(f"{width}:{checksum}:{start}:{end}:{quote_text}".encode(), usedforsecurity=False).hexdigest()


def has_editorial_marks(quote_text):
    """True when the printed quotation carries cuts (… or ...) or [inserted words]."""
    return bool(_EDITORIAL_MARKS.search(quote_text or ""))
