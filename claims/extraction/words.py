"""Words as the rules see them: folded, with their offsets, possessive 's dropped from the key."""

import re

from ..text import fold


def _wordset(text):
    return frozenset(text.split())


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _words(text, start=0, end=None):
    """(start, end, folded) for every word of text[start:end]; possessive 's dropped from the key."""
    end = len(text) if end is None else end
    words = []
    for match in _WORD.finditer(text, start, end):
        key = fold(match.group())
        if key.endswith("'s"):
            key = key[:-2]
        words.append((match.start(), match.end(), key))
    return words


def _is_capitalised(text, word):
    return text[word[0]].isupper() or text[word[0]].isdigit()
