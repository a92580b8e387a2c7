"""Words as the rules see them: folded, with their offsets, possessive 's dropped from the key."""

import functools
import re

from ..text import fold

# The same words recur through an article: fold each spelling once.
_fold_word = functools.lru_cache(maxsize=100_000)(fold)


def _wordset(text):
    return frozenset(text.split())


# A French elision ("l’armée", "qu’un") is a word of its own, so "armée" is read as it is.
_WORD = re.compile(r"(?:[lLdDjJnNsScCmMtT]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu)['’](?=[^\W\d_])|[^\W_]+(?:['’][^\W_]+)*")


def _words(text, start=0, end=None):
    """(start, end, folded) for every word of text[start:end]; possessive 's dropped from the key."""
    end = len(text) if end is None else end
    words = []
    for match in _WORD.finditer(text, start, end):
        key = _fold_word(match.group())
        if key.endswith("'s"):
            key = key[:-2]
        words.append((match.start(), match.end(), key))
    return words


def _is_capitalised(text, word):
    return text[word[0]].isupper() or text[word[0]].isdigit()
