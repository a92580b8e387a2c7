"""find_quotations: the quote marks' spans, joined where an attribution cuts one statement, with a kind."""

import bisect
import re

from . import languages
from .languages import en
from .quote_marks import Quotation, scan_quotations
from .sentences import _SENTENCE_END, _masked, _sentence_end, _sentence_start
from .words import _words


def _with_split_groups(text, quotations, r=en, masked=None):
    """Join quotations of one sentence cut by an attribution or a bare connective ("…,” he said, “…”)."""
    masked = _masked(text, quotations) if masked is None else masked
    groups = [q.split_group for q in quotations]
    next_group = max((g for g in groups if g is not None), default=-1) + 1
    for i in range(1, len(quotations)):
        before, after = quotations[i - 1], quotations[i]
        gap = masked[before.end : after.start]
        inner = gap.strip(" \"”’“‘«»'*_")
        if "\n" in gap or _SENTENCE_END.search(gap) or len(inner) > 80:
            continue
        if text[before.end - 1 : before.end] in ".!?":
            continue
        words = [w for _, _, w in _words(inner)]
        splits = r.CONNECTIVE.match(inner) or (len(words) <= 6 and any(w in r.SPEECH_VERBS for w in words))
        if splits:
            if groups[i - 1] is None:
                groups[i - 1] = next_group
                next_group += 1
            groups[i] = groups[i - 1]
    return [_replace(q, split_group=g) for q, g in zip(quotations, groups, strict=True)]


_KIND_CUES = [
    ("slogan", re.compile(r"\b(slogans?|chant(?:s|ed|ing)?|shout(?:s|ed|ing)?|banners?|placards?)\b", re.I)),
    ("communique", re.compile(r"\b(communiqu[ée]s?|press releases?|statements?|déclarations?)\b", re.I)),
    ("headline", re.compile(r"\b(headlines?|headlined|front pages?)\b", re.I)),
]


def _with_kinds(text, quotations, masked=None):
    masked = _masked(text, quotations) if masked is None else masked
    # Each cue is looked for once in the whole text (a search per sentence read the text again for
    # every quotation in it); a sentence holds one when a match lies in it. A sentence starts after
    # a space or a line break and ends on a full stop or line break, so a match, whole words, never
    # straddles its edges (only a sentence cut at _LONGEST_SENTENCE may cut a word).
    cues = [
        (candidate, _Spans([match.span() for match in pattern.finditer(masked)])) for candidate, pattern in _KIND_CUES
    ]
    result = []
    for quotation in quotations:
        kind = "headline" if quotation.is_headline else "direct"
        if not quotation.is_headline:
            start, end = _sentence_start(masked, quotation.start), _sentence_end(masked, quotation.end)
            for candidate, spans in cues:
                if spans.any_within(start, end):
                    kind = candidate
                    break
        result.append(_replace(quotation, kind=kind))
    return result


class _Spans:
    """The (start, end) of non-overlapping matches, in order, asked whether one lies in a range."""

    def __init__(self, spans):
        self.spans = spans
        self.starts = [start for start, _ in self.spans]

    def any_within(self, start, end):
        k = bisect.bisect_left(self.starts, start)
        return k < len(self.spans) and self.spans[k][1] <= end


def _replace(quotation, **changes):
    """The quotation with `changes`; the same (frozen) object when they change nothing."""
    if all(getattr(quotation, name) == value for name, value in changes.items()):
        return quotation
    return Quotation(**{**vars(quotation), **changes})


def find_quotations(text, language="en"):
    """Every top-level quotation in `text`, in order: its span, headline flag, split group and kind."""
    rules = languages.rules_for(language)
    quotations = scan_quotations(text)
    masked = _masked(text, quotations)  # joining pieces and guessing kinds changes no span
    return _with_kinds(text, _with_split_groups(text, quotations, rules, masked), masked)
