"""find_quotations: the quote marks' spans, joined where an attribution cuts one statement, with a kind."""

import re

from . import languages
from .languages import en
from .quote_marks import Quotation, scan_quotations
from .sentences import _SENTENCE_END, _masked, _sentence_end, _sentence_start
from .words import _words


def _with_split_groups(text, quotations, r=en):
    """Join quotations of one sentence cut by an attribution or a bare connective ("…,” he said, “…”)."""
    masked = _masked(text, quotations)
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


def _with_kinds(text, quotations):
    masked = _masked(text, quotations)
    result = []
    for quotation in quotations:
        kind = "headline" if quotation.is_headline else "direct"
        if not quotation.is_headline:
            sentence = masked[_sentence_start(masked, quotation.start) : _sentence_end(masked, quotation.end)]
            for candidate, pattern in _KIND_CUES:
                if pattern.search(sentence):
                    kind = candidate
                    break
        result.append(_replace(quotation, kind=kind))
    return result


def _replace(quotation, **changes):
    values = {name: getattr(quotation, name) for name in Quotation.__dataclass_fields__}
    values.update(changes)
    return Quotation(**values)


def find_quotations(text, language="en"):
    """Every top-level quotation in `text`, in order: its span, headline flag, split group and kind."""
    rules = languages.rules_for(language)
    return _with_kinds(text, _with_split_groups(text, scan_quotations(text), rules))
