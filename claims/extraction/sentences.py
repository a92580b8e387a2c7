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


_LAST_SCANNED = (None, None)


def _boundaries(masked):
    """Every sentence end in `masked`, found once: (ends, whether each is a line break).

    Scanning from the text's start for every quotation made extraction quadratic. The last text
    scanned is kept, recognised by identity (comparing equal texts would cost a scan again).
    """
    global _LAST_SCANNED
    scanned, found = _LAST_SCANNED  # one read of one tuple: safe when threads share it
    if scanned is masked:
        return found
    ends, newlines = [], []
    for match in _SENTENCE_END.finditer(masked):
        ends.append(match.end())
        newlines.append(match.group() == "\n")
    _LAST_SCANNED = (masked, (ends, newlines))
    return ends, newlines


def _sentence_start(masked, position):
    """Where the sentence holding `position` starts: after the last sentence end before it.

    A full stop needs the space after it to end a sentence, so one ending right at `position`
    (the space not yet reached) does not count; a line break does.
    """
    ends, newlines = _boundaries(masked)
    k = bisect.bisect_right(ends, position) - 1
    if k >= 0 and ends[k] == position and not newlines[k]:
        k -= 1
    return ends[k] if k >= 0 else 0


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
    words = masked[start:end].replace(_MASK, "").strip(' ,:\n"“”‘’«»\u00a0\u202f')
    words = re.sub(r"\s+", " ", words)
    return words if len(words) <= limit else words[: limit - 1] + "…"
