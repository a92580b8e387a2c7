"""Extraction does a bounded amount of work per quotation, whatever the text's length or layout.

Time is not measured here (a shared machine makes it noisy; bench/extraction_speed.py measures it):
the words the attribution reads and the characters it and the headline check search for line
breaks are counted instead, per quotation, on a text and on the same text four times over. A step
that searches back to the text's start, or a sentence that is in fact the whole text (no full
stops, no line breaks), makes the count grow with the text.
"""

import re

import pytest

from claims.extraction import KnownSpeaker, extract
from claims.extraction import attribution as attribution_module

KNOWN = [KnownSpeaker("awa-diallo", "Awa Diallo", titles=("Head of the Sahel Mission",))]
NAMES = ["Awa Diallo", "Moussa Keita", "Jane Doe", "Pierre Martin", "Oumar Cisse", "Nadia Toure"]
PARAGRAPHS = [
    "“The road to {place} is open again,” said {name}, head of the mission.",
    "{name} told reporters: “Talks will resume in {place}.” He added that “nothing” was settled.",
    "According to {name}, the situation in {place} is “calm”. She warned: “It may not last.”",
    "« La situation à {place} est grave », a déclaré {name}, ministre de la Défense.",
]
PLACES = ["Gao", "Kidal", "Mopti", "Tessalit", "Menaka"]


def article(paragraphs):
    return "\n\n".join(
        PARAGRAPHS[n % len(PARAGRAPHS)].format(name=NAMES[n % len(NAMES)], place=PLACES[n % len(PLACES)])
        for n in range(paragraphs)
    )


LAYOUTS = {
    "paragraphs": lambda text: text,
    "one line": lambda text: text.replace("\n\n", " "),
    # No full stop, question mark or line break: the whole text is one "sentence".
    "no sentence ends": lambda text: re.sub(r"[.!?:]", "", text).replace("\n\n", " "),
}


class SearchedText(str):
    """A text that counts the characters its find, rfind and count calls are given to search (their windows)."""

    searched = 0

    def _window(self, start=None, end=None):
        start = 0 if start is None else start
        end = len(self) if end is None else min(end, len(self))
        SearchedText.searched += max(0, end - start)

    def find(self, sub, start=None, end=None):
        self._window(start, end)
        return super().find(sub, start, end)

    def rfind(self, sub, start=None, end=None):
        self._window(start, end)
        return super().rfind(sub, start, end)

    def count(self, sub, start=None, end=None):
        self._window(start, end)
        return super().count(sub, start, end)


def work_per_quotation(monkeypatch, text):
    """Words the attribution reads and characters searched in the text and its masked copy, per quotation."""
    words = 0
    word_range = attribution_module._Attributor._word_range
    masked = attribution_module._masked

    def counting_word_range(self, start, end):
        nonlocal words
        first, last = word_range(self, start, end)
        words += last - first
        return first, last

    monkeypatch.setattr(attribution_module._Attributor, "_word_range", counting_word_range)
    monkeypatch.setattr(attribution_module, "_masked", lambda text, quotations: SearchedText(masked(text, quotations)))
    SearchedText.searched = 0
    found = extract(SearchedText(text), KNOWN)
    monkeypatch.undo()
    return {"words": words / len(found), "searched": SearchedText.searched / len(found)}, len(found)


@pytest.mark.parametrize("layout_name", LAYOUTS)
def test_the_work_per_quotation_does_not_grow_with_the_text(monkeypatch, layout_name):
    shape = LAYOUTS[layout_name]
    small, small_found = work_per_quotation(monkeypatch, shape(article(60)))
    large, large_found = work_per_quotation(monkeypatch, shape(article(240)))
    assert large_found == 4 * small_found
    assert large["words"] <= small["words"] * 1.25, (small, large)
    assert large["searched"] <= small["searched"] * 1.25, (small, large)
