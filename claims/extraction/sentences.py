"""Sentences and clauses: where they start and end, with quotations masked out."""

import bisect
import re

# A full stop after an abbreviated title ("Mr.", "Gen.", "M.") or an initial does not end a sentence.
_ABBREVIATIONS = [
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Gen",
    "Col",
    "Lt",
    "Sgt",
    "Capt",
    "Maj",
    "Cmdr",
    "Adm",
    "Prof",
    "Gov",
    "Sen",
    "Rep",
    "Rev",
    "St",
    "Jr",
    "Sr",
    "No",
    "Mme",
    "Mlle",
    "MM",
    "Pr",
    "Me",
]
# The lookbehinds run only after a full stop has matched: tried at every character, they made the
# scan a hundred times slower.
_NOT_AFTER = "".join(rf"(?<!\b{abbreviation}\.)" for abbreviation in _ABBREVIATIONS) + r"(?<!\b[A-Z]\.)"
_SENTENCE_END = re.compile(r"(?:[!?]|\." + _NOT_AFTER + r")[\"”’»*_)\]]*(?=\s)|\n")
_MASK = "\x00"
# How far from a position its sentence is read, each way. Real sentences are far shorter (the
# longest in the seeds and the development set: 524 characters, quotations included); a text
# without full stops or line breaks would otherwise be one sentence, read again for every
# quotation in it: quadratic.
_LONGEST_SENTENCE = 1500


def _masked(text, quotations):
    """The text with every quotation blanked out, so the words inside never pass for cues.

    A quotation's closing ".", "!" or "?" stays: it still ends the sentence.
    """
    pieces, cursor = [], 0
    for quotation in quotations:
        start, end = quotation.start, quotation.end
        if start < cursor:
            return _masked_overlapping(text, quotations)
        last = text[end - 1]
        pieces.append(text[cursor:start])
        if last in ".!?":
            pieces.append(_MASK * (end - 1 - start) + last)
        else:
            pieces.append(_MASK * (end - start))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _masked_overlapping(text, quotations):
    """_masked for quotations given out of order or overlapping, character by character."""
    chars = list(text)
    for quotation in quotations:
        last = text[quotation.end - 1]
        for k in range(quotation.start, quotation.end):
            chars[k] = _MASK
        if last in ".!?":
            chars[quotation.end - 1] = last
    return "".join(chars)


_LAST_SCANNED = (None, None)


def _boundaries(masked):
    """Every sentence end in `masked`, found once: (starts, ends, whether each is a line break).

    Scanning from the text's start for every quotation made extraction quadratic. The last text
    scanned is kept, recognised by identity or, for an equal text masked again, by comparing the
    two (a memory comparison, far cheaper than the scan).
    """
    global _LAST_SCANNED
    scanned, found = _LAST_SCANNED  # one read of one tuple: safe when threads share it
    if scanned is masked:
        return found
    if scanned == masked:
        _LAST_SCANNED = (masked, found)  # the next calls will pass this object: identity answers them
        return found
    starts, ends, newlines = [], [], []
    for match in _SENTENCE_END.finditer(masked):
        starts.append(match.start())
        ends.append(match.end())
        newlines.append(match.group() == "\n")
    found = (starts, ends, newlines)
    _LAST_SCANNED = (masked, found)
    return found


def _sentence_start(masked, position):
    """Where the sentence holding `position` starts: after the last sentence end before it.

    A full stop needs the space after it to end a sentence, so one ending right at `position`
    (the space not yet reached) does not count; a line break does. Never more than
    _LONGEST_SENTENCE characters back.
    """
    _, ends, newlines = _boundaries(masked)
    k = bisect.bisect_right(ends, position) - 1
    if k >= 0 and ends[k] == position and not newlines[k]:
        k -= 1
    return max(ends[k] if k >= 0 else 0, position - _LONGEST_SENTENCE)


def _sentence_end(masked, position):
    """Where the sentence holding `position` ends: the first sentence end starting at or after it.

    Each place a sentence end can start at has one match there (its closing marks can start none),
    so the ends found once are the ones a search from `position` would find. Never more than
    _LONGEST_SENTENCE characters on.
    """
    starts, _, _ = _boundaries(masked)
    k = bisect.bisect_left(starts, position)
    return min(starts[k] if k < len(starts) else len(masked), position + _LONGEST_SENTENCE)


def _comma_pieces(segment, offset):
    pieces, start = [], 0
    for match in re.finditer(r",|\(|\)|\s[-–—]\s|:", segment):
        pieces.append((offset + start, offset + match.start()))
        start = match.end()
    pieces.append((offset + start, offset + len(segment)))
    return pieces


def _excerpt(masked, start, end, limit=120):
    words = masked[start:end].replace(_MASK, "").strip(' ,:\n"“”‘’«»\u00a0\u202f')
    words = re.sub(r"\s+", " ", words)
    return words if len(words) <= limit else words[: limit - 1] + "…"
