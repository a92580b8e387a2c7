"""Text folding for search: the same key for every spelling a reader would type.

"Maïga", "MAIGA" and "maiga" fold to "maiga"; "Jama’at" and "Jama'at" fold alike. Folding is for
finding things only: quotes are stored and matched exactly as printed (see anchoring.py).
"""

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_NON_WORD = re.compile(r"[^\w']+")


def fold(text):
    """Lower-case, accent-free, apostrophe-normalised form of `text` for search."""
    if text and text.isascii():  # no ASCII character decomposes or combines: skip the per-character pass
        return text.translate(_APOSTROPHES).casefold()
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_APOSTROPHES).casefold()


def search_words(text):
    """The folded words of `text`, in order: what a search document is made of."""
    return [word.strip("'") for word in _NON_WORD.split(fold(text)) if word.strip("'")]


def search_document(*parts):
    """One space-separated string of folded words, padded so ' word ' matches whole words.

    A word with an apostrophe is also stored without it, since readers type "Jamaat" as often
    as "Jama'at".
    """
    words = []
    for part in parts:
        for word in search_words(part):
            words.append(word)
            if "'" in word:
                words.append(word.replace("'", ""))
    return " " + " ".join(words) + " " if words else ""
