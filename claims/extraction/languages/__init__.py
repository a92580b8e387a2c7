"""One rule set per language, and a guess at a text's language.

Each module (en, fr) defines the same names: verbs of saying, pronouns, titles, function words,
countries, and the small patterns the attribution reads. `rules_for(code)` picks one; a language
without rules of its own is read with the English ones.
"""

import re

from . import en, fr

RULES = {"en": en, "fr": fr}

# Frequent function words, counted as whole words: a long text's language shows in them.
_MARKERS = {
    "en": frozenset(
        [
            "the",
            "of",
            "and",
            "to",
            "in",
            "is",
            "that",
            "for",
            "was",
            "with",
            "said",
            "on",
            "as",
            "by",
            "his",
            "he",
            "it",
            "at",
            "from",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "des",
            "du",
            "de",
            "et",
            "est",
            "une",
            "un",
            "que",
            "qui",
            "dans",
            "pour",
            "sur",
            "au",
            "aux",
            "a",
            "été",
            "selon",
        ]
    ),
}
_WORD = re.compile(r"[^\W\d_]+")


def rules_for(language):
    return RULES.get((language or "en").split("-")[0].lower(), en)


def detect_language(text, sample=20_000):
    """'en' or 'fr' from function words in the text's first `sample` characters; 'en' when unsure.

    A heuristic, no library: enough to pick a rule set, and the importer stores what it found so a
    curator can correct it.
    """
    counts = dict.fromkeys(_MARKERS, 0)
    for match in _WORD.finditer(text, 0, min(len(text), sample)):
        word = match.group().lower()
        for language, markers in _MARKERS.items():
            if word in markers:
                counts[language] += 1
    return "fr" if counts["fr"] > counts["en"] else "en"
