"""Words as the rules see them: folded, with their offsets, possessive 's dropped from the key."""

import re

from ..text import fold

# A French elision ("l’armée", "qu’un") is a word of its own, so "armée" is read as it is.
_WORD = re.compile(r"(?:[lLdDjJnNsScCmMtT]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu)['’](?=[^\W\d_])|[^\W_]+(?:['’][^\W_]+)*")

# The same words recur through an article: each spelling is folded once. A plain dict read is
# cheaper than lru_cache's bookkeeping on the hundreds of thousands of words of a long text; it
# is emptied when it grows past the bound, so a stream of odd spellings cannot make it grow.
_KEYS = {}
_KEYS_LIMIT = 200_000


def _word_key(spelling):
    key = fold(spelling)
    if key.endswith("'s"):
        key = key[:-2]
    if len(_KEYS) >= _KEYS_LIMIT:
        _KEYS.clear()
    _KEYS[spelling] = key
    return key


def _wordset(text):
    return frozenset(text.split())


def _words(text, start=0, end=None):
    """(start, end, folded) for every word of text[start:end]; possessive 's dropped from the key."""
    end = len(text) if end is None else end
    keys = _KEYS
    return [
        (match.start(), match.end(), keys.get(spelling) or _word_key(spelling))
        for match in _WORD.finditer(text, start, end)
        for spelling in (match.group(),)
    ]


def _is_capitalised(text, word):
    return text[word[0]].isupper() or text[word[0]].isdigit()
