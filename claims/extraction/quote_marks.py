"""Quote marks: which characters open and close a quotation, and the spans between them."""

import re
from dataclasses import dataclass

from .layout import _is_heading_line, _paragraph_ends

DOUBLE, SINGLE, GUILLEMET = "double", "single", "guillemet"
_FAMILY = {
    "“": DOUBLE, "”": DOUBLE, "„": DOUBLE, '"': DOUBLE, "‟": DOUBLE,
    "‘": SINGLE, "’": SINGLE, "'": SINGLE, "‚": SINGLE, "‹": SINGLE, "›": SINGLE,
    "«": GUILLEMET, "»": GUILLEMET,
}  # fmt: skip
_OPENERS = set("“„‟‘‚‹«")
_CLOSERS = set("”’›»")
_AMBIGUOUS = set("\"'")
# What may stand just outside a quotation: spaces, brackets, dashes, sentence punctuation,
# markdown emphasis and other quote marks (nested quotations open or close together).
_LEFT_CONTEXT = set("([{—–-/*_") | set(_FAMILY)
_RIGHT_CONTEXT = set(".,;:!?)]}—–-/…*_") | set(_FAMILY)
_INNER_SPACE = " \u00a0\u202f\u2009"
_SPACES = re.compile(r"\s*")
_MARK = re.compile("[" + re.escape("".join(_FAMILY)) + "]")
_TRAILING_COMMA = re.compile(r"[\s,;:]+$")


@dataclass(frozen=True)
class Quotation:
    """The words between one pair of quote marks (the marks themselves excluded)."""

    start: int
    end: int
    text: str
    style: str  # e.g. "“”", "\"\"", "«»", "‘’", "““" (a mismatched pair: opening mark used to close)
    is_headline: bool = False
    split_group: int | None = None  # quotations of one statement cut by an attribution share a group
    nested: tuple[tuple[int, int], ...] = ()  # quotations quoted inside this one
    kind: str = "direct"  # direct, headline, slogan or communique: a guess from the context
    truncated: bool = False  # the text ends before the closing mark


def _is_letter(char):
    return char.isalnum()


def _mark_roles(text, i):
    """(can_open, can_close, is_apostrophe) for the quote mark at text[i]."""
    char = text[i]
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    if char in "’'" and _is_letter(before) and _is_letter(after):
        return False, False, True  # Mali’s, Jama’at, we've: an apostrophe, never a quote mark
    inner_space_ok = char in "«»"  # French typography puts a space inside guillemets
    can_open = (before.isspace() or before in _LEFT_CONTEXT) and (
        not after.isspace() or (inner_space_ok and after in _INNER_SPACE)
    )
    can_close = (not before.isspace() or (inner_space_ok and before in _INNER_SPACE)) and (
        after.isspace() or after in _RIGHT_CONTEXT
    )
    if char == "’" and can_open and not can_close and _is_letter(after) and after.isdigit():
        return False, False, True  # ’90s
    return can_open, can_close, False


def _trimmed_span(text, start, end, keep_punctuation=True):
    """The span without the spaces just inside the marks (« guillemets » are padded).

    Punctuation inside the marks is the quotation's own (“…,” she said) and is kept; a quotation
    left open at a paragraph's end loses the comma or colon before the break.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if not keep_punctuation:
        end = start + len(_TRAILING_COMMA.sub("", text[start:end]).rstrip())
    return start, end


def scan_quotations(text):
    """Every top-level quotation in `text`, in order, with nested ones recorded on their parent."""
    results = []
    paragraph_ends = iter(_paragraph_ends(text))
    paragraph_end = next(paragraph_ends)
    stack = []  # [family, mark position, mark, nested spans]
    pending_continuation = None
    i = 0
    while i < len(text):
        # Jump to the next quote mark: stepping through every character in Python was the scan's cost.
        mark = _MARK.search(text, i)
        i = mark.start() if mark else len(text)
        while i >= paragraph_end and paragraph_end < len(text):
            # A quotation left open at a paragraph's end continues when the next paragraph opens
            # with a quote mark (the convention for quoting several paragraphs); otherwise it was
            # a stray mark and is dropped.
            if stack:
                family, position, mark, nested = stack[0]
                after_space = _SPACES.match(text, paragraph_end).end()
                next_char = text[after_space : after_space + 1]
                if next_char in _OPENERS or next_char == '"':
                    span = _trimmed_span(text, position + 1, paragraph_end, keep_punctuation=False)
                    if span[1] > span[0]:
                        pending_continuation = len(results)
                        results.append([span, mark, "", tuple(nested), pending_continuation])
            stack = []
            paragraph_end = next(paragraph_ends, len(text))
        if i >= len(text):
            break
        char = text[i]
        if char not in _FAMILY:
            i += 1
            continue
        can_open, can_close, apostrophe = _mark_roles(text, i)
        if apostrophe or not (can_open or can_close):
            i += 1
            continue
        family = _FAMILY[char]
        open_of_family = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == family), None)
        if family == SINGLE and open_of_family is None and not stack and char in "’'" and not can_open:
            i += 1  # a closing single mark with nothing open: a plural possessive (countries’)
            continue
        closes = (
            can_close
            and open_of_family is not None
            and (not can_open or char in _CLOSERS or char in _AMBIGUOUS or char in _OPENERS)
        )
        if closes and can_open and char in _OPENERS and open_of_family is not None:
            # “ that could open or close (between two spaces-less contexts): close what is open.
            closes = True
        if closes:
            del stack[open_of_family + 1 :]
            _, position, mark, nested = stack.pop()
            span = _trimmed_span(text, position + 1, i)
            if span[1] > span[0] and any(_is_letter(c) for c in text[span[0] : span[1]]):
                if stack:
                    stack[-1][3].append(span)
                else:
                    group = pending_continuation if pending_continuation is not None else None
                    pending_continuation = None
                    results.append([span, mark, char, tuple(nested), group])
        elif can_open and (char in _OPENERS or char in _AMBIGUOUS or char in _CLOSERS):
            stack.append([family, i, char, []])
        i += 1
    if stack and (stack[0][0] != SINGLE or stack[0][2] in _OPENERS):
        # The text ends before the closing mark (an excerpt cut mid-quotation): propose what is there.
        _, position, mark, nested = stack[0]
        span = _trimmed_span(text, position + 1, len(text), keep_punctuation=False)
        if span[1] > span[0] and any(_is_letter(c) for c in text[span[0] : span[1]]):
            results.append([span, mark, "", tuple(nested), None])

    quotations = []
    for (start, end), open_mark, close_mark, nested, group in results:
        quotations.append(
            Quotation(
                start=start,
                end=end,
                text=text[start:end],
                style=open_mark + (close_mark or "…"),
                is_headline=_is_heading_line(text, start, end),
                split_group=group,
                nested=nested,
                truncated=not close_mark and end == len(text.rstrip()),
            )
        )
    return quotations
