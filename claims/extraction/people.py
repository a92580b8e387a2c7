"""Who a text introduces: people named in full ("Colonel Jane Doe", "Jane Doe, a researcher,") and
the bodies a country speaks through ("le ministère algérien de la Défense").

Read once per text, in one pass: pronouns resolve to the last person introduced before them, and a
bare surname ("Doe said") is proposed under the full name the text gives.
"""

import bisect
import re

from .words import _words

_PUNCTUATION_BETWEEN = re.compile(r"[^\s\-]")
# Words that join the parts of a body's name ("Directorate for External Security"), never a person's.
_CONNECTORS = {"of", "for", "and", "pour", "et"}


def _capitalised_runs(masked, words, r):
    """Runs of capitalised words (particles allowed inside) not broken by punctuation."""
    run = []
    for n, word in enumerate(words):
        first = masked[word[0]]
        joined = run and not _PUNCTUATION_BETWEEN.search(masked, run[-1][1], word[0])
        capital = first.isupper() and word[2] not in r.FUNCTION_WORDS
        if run and not joined:
            yield run
            run = []
        if capital or (
            run
            and (word[2] in r.PARTICLES or word[2] in _CONNECTORS)
            and n + 1 < len(words)
            and masked[words[n + 1][0]].isupper()
        ):
            run.append(word)
        elif run:
            yield run
            run = []
    if run:
        yield run


class People:
    """Persons introduced in a text, with their full names, by position."""

    def __init__(self, masked, words, r, looks_like_person, known_words=frozenset()):
        self.r = r
        introduced = []  # (start, name, folded words)
        singles = []  # (start, end, folded) capitalised single words: possible surnames
        for run in _capitalised_runs(masked, words, r):
            titled = False
            # "French Foreign Minister Catherine Colonna", "France's President Emmanuel Macron": only the name.
            while run and (
                run[0][2] in r.TITLE_HEADS
                or run[0][2] in r.NAME_PREFIXES
                or run[0][2] in r.NOT_NAMES
                or run[0][2] in r.COUNTRIES
                or masked[run[0][1] - 2 : run[0][1]] in ("'s", "’s")
            ):
                titled = titled or run[0][2] in r.TITLE_HEADS or run[0][2] in r.NAME_PREFIXES
                run = run[1:]
            while run and run[-1][2] in r.PARTICLES:
                run = run[:-1]
            if not run:
                continue
            keys = [key for _, _, key in run]
            if len(run) == 1:
                singles.append((run[0][0], run[0][1], keys[0]))
                continue
            name = masked[run[0][0] : run[-1][1]]
            joined = " ".join(keys)
            if (
                any(key in r.NOT_NAMES or key in r.COUNTRIES or key in _CONNECTORS for key in keys)
                or joined in r.COUNTRIES
                or not looks_like_person(name, r)
            ):
                continue
            if " ".join(keys) in known_words:
                continue  # a known speaker: the known mentions cover it
            before = [key for _, _, key in _words(masked, max(0, run[0][0] - 60), run[0][0])][-4:]
            after = masked[run[-1][1] : run[-1][1] + 3]
            appositive = after.startswith(", ") and after[2:3].islower()
            if titled or appositive or any(key in r.TITLE_HEADS or key in r.NAME_PREFIXES for key in before):
                introduced.append((run[0][0], name, keys))
        self.full_names = {}  # surname → the first full name the text gives for it
        for _, name, keys in introduced:
            self.full_names.setdefault(keys[-1], name)
        mentions = [(start, name) for start, name, _ in introduced]
        for start, _, key in singles:
            if key in self.full_names:
                mentions.append((start, self.full_names[key]))
        mentions.sort()
        self.mentions = mentions
        self.starts = [start for start, _ in mentions]

    def last_before(self, position):
        """(start, full name) of the last person named before `position`, or None."""
        k = bisect.bisect_left(self.starts, position)
        return self.mentions[k - 1] if k else None

    def full_name(self, surname_key):
        return self.full_names.get(surname_key)


_BODY_HEADS_EN = r"(?:Ministry|ministry|Government|government|Department|department|Presidency|presidency)"
_BODY_HEADS_FR = r"(?:[Mm]inist[èe]re|[Gg]ouvernement|[Pp]r[ée]sidence)"


def country_body(masked, adjective, r):
    """The body of a country named in the text ("ministère algérien de la Défense"), or None.

    A country "declares" through a ministry or its government; when the text names exactly one
    such body of that country, the country's words are that body's.
    """
    found = []
    if r.LANGUAGE == "fr":
        pattern = re.compile(
            _BODY_HEADS_FR + r"\s+(\w+)((?:\s+(?:de la|de l['’]|des|du|de|et de la|et des)\s*[A-ZÉÈ][\w'’-]*)*)"
        )
        for match in pattern.finditer(masked):
            if r.DEMONYMS.get(match.group(1).lower().replace("é", "e").replace("è", "e")) == adjective:
                found.append(match.group(0))
    else:
        pattern = re.compile(r"\b([A-Z]\w+)\s+((?:[A-Za-z]+\s+)?" + _BODY_HEADS_EN + r")(\s+of\s+[A-Z][\w ]*[A-Za-z])?")
        for match in pattern.finditer(masked):
            if match.group(1).lower() == adjective:
                found.append(match.group(0))
    distinct = list(dict.fromkeys(found))
    return distinct[0] if len(distinct) == 1 else None
