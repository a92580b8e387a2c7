"""Known speakers: their names, aliases and role titles, found in a text."""

import re
from dataclasses import dataclass

from .languages import en
from .words import _is_capitalised, _words


@dataclass(frozen=True)
class KnownSpeaker:
    """What the extractor may know of a speaker: plain data, so that callers pass it from anywhere."""

    key: str
    name: str
    kind: str = "person"  # "person" or anything else (an organisation of some kind)
    aliases: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()  # role titles, with their organisation ("Minister of Foreign Affairs, Mali")

    @property
    def is_person(self):
        return self.kind == "person"


@dataclass(frozen=True)
class Proposal:
    """Who said a quotation: a known speaker's key, or the name of a speaker to create, or nobody."""

    speaker_key: str | None = None
    new_name: str | None = None
    confidence: float = 0.0
    cue: str = ""
    new_kind: str = ""  # for a new speaker: "person" or "organisation", a guess from the name

    @property
    def is_attributed(self):
        return bool(self.speaker_key or self.new_name)


def _title_tokens(text, r=en):
    tokens = []
    for _, _, key in _words(text):
        for part in re.split(r"[-']", key):
            part = r.TITLE_SYNONYMS.get(part, part)
            if part and part not in r.TITLE_STOPWORDS:
                tokens.append(part)
    return tokens


class _Index:
    """Known names and aliases as folded word sequences, found anywhere in a text."""

    def __init__(self, speakers, rules=en):
        self.r = rules
        self.speakers = {speaker.key: speaker for speaker in speakers}
        self.patterns = {}
        surnames = {}
        self.acronyms = set()
        for speaker in speakers:
            for name in _name_variants(speaker):
                key = tuple(word for _, _, word in _words(name))
                if key:
                    self.patterns.setdefault(key, set()).add(speaker.key)
                    if len(key) == 1 and name.isupper():
                        self.acronyms.add(key)  # "IS" names the Islamic State; "is" never does
            words = [word for _, _, word in _words(speaker.name)]
            if speaker.is_person and len(words) >= 2 and len(words[-1]) > 2:
                # Reporters name a person in full once, then by surname.
                surnames.setdefault((words[-1],), set()).add(speaker.key)
        for key, owners in surnames.items():
            if len(owners) == 1 and key not in self.patterns:
                self.patterns[key] = owners
        # Crowds are told apart by where they gathered: "Protesters in Niamey" by "niamey".
        self.places = {}
        for speaker in speakers:
            if speaker.kind in self.r.CROWD_KINDS:
                words = {word for name in _name_variants(speaker) for _, _, word in _words(name)}
                self.places[speaker.key] = {w for w in words if w not in self.r.CROWD_GENERIC and not w.isdigit()}
        # "France advised its citizens": a country speaking is its government, or its foreign ministry.
        for country, owner in _country_speakers(speakers, self.r).items():
            self.patterns.setdefault(country, {owner})
        self.longest = max((len(key) for key in self.patterns), default=0)
        self.first_words = {key[0] for key in self.patterns}
        self.titles = {
            speaker.key: [set(_title_tokens(title, self.r)) for title in speaker.titles] for speaker in speakers
        }
        self.name_tokens = {
            speaker.key: {word for name in (speaker.name, *speaker.aliases) for word in _title_tokens(name, self.r)}
            for speaker in speakers
        }

    def mentions(self, text, start=0, end=None, words=None):
        """(start, end, speaker key) for each known name in text[start:end], longest match first."""
        words = _words(text, start, end) if words is None else words
        found = []
        i = 0
        while i < len(words):
            if words[i][2] not in self.first_words:
                i += 1  # most words start no name: skip the longest-match search
                continue
            for size in range(min(self.longest, len(words) - i), 0, -1):
                key = tuple(word for _, _, word in words[i : i + size])
                owners = self.patterns.get(key)
                if owners and len(owners) == 1 and self._plausible(text, words[i : i + size]):
                    found.append((words[i][0], words[i + size - 1][1], next(iter(owners))))
                    i += size
                    break
            else:
                i += 1
        return found

    def _plausible(self, text, words):
        if len(words) == 1 and (words[0][2],) in self.acronyms:
            return text[words[0][0] : words[0][1]].isupper()
        # A one-word name written in lower case is an ordinary word ("point", "mali" never; "le monde" no).
        return any(_is_capitalised(text, word) for word in words)

    def by_title(self, description, recent):
        """The speaker whose role title the description names ("the foreign minister"), or None."""
        tokens = [token for token in _title_tokens(description, self.r) if token not in self.r.FUNCTION_WORDS]
        if not any(token in self.r.TITLE_HEADS or token in {"spokesperson", "chairperson", "head"} for token in tokens):
            return None
        candidates = []
        for key, titles in self.titles.items():
            for title in titles:
                context = title | self.name_tokens[key]
                if set(tokens) <= context:
                    candidates.append(key)
                    break
        if not candidates:
            # The description may name the organisation by a place ("Mali's foreign minister"):
            # the title words alone must then pick exactly one speaker.
            # Other words must not name another organisation: "the head of the regional agency" is no
            # "Head of the Sahel Observatory".
            heads = [token for token in tokens if token in self.r.TITLE_HEADS or len(token) > 3]
            others = {token for token in tokens if token not in self.r.TITLE_HEADS and len(token) > 3}
            for key, titles in self.titles.items():
                for title in titles:
                    context = title | self.name_tokens[key]
                    unplaced = {token for token in others if token not in context and token not in self.r.NOT_NAMES}
                    if title and set(heads) & title and _core(title) <= set(tokens) and not unplaced - _PLACES:
                        candidates.append(key)
                        break
        return _pick(candidates, recent)

    def by_description(self, noun, recent):
        """The recently named speaker whose name holds `noun` ("the department", "the ministry")."""
        candidates = [key for key, tokens in self.name_tokens.items() if noun in tokens]
        return _pick(candidates, recent)


def _name_variants(speaker):
    """Name and aliases, with "Islamic State (IS)" also read as "Islamic State" and "IS"."""
    for name in (speaker.name, *speaker.aliases):
        yield name
        match = re.match(r"^(.*?)\s*\(([^()]+)\)\s*(.*)$", name)
        if match:
            yield (match.group(1) + " " + match.group(3)).strip()
            yield match.group(2).strip()


def _country_speakers(speakers, r=en):
    """Country name → the one government (else foreign ministry) among known speakers that is its voice."""
    result = {}
    for demonym in set(r.COUNTRIES.values()):
        countries = [country for country, adjective in r.COUNTRIES.items() if adjective == demonym]
        candidates = []
        for speaker in speakers:
            if speaker.is_person:
                continue
            for name in _name_variants(speaker):
                words = [word for _, _, word in _words(name)]
                joined = " " + " ".join(words) + " "
                if demonym in words or any(f" {country} " in joined for country in countries):
                    candidates.append((speaker, words))
                    break
        governments = [s for s, _ in candidates if s.kind == "government"]
        foreign = [s for s, words in candidates if s.kind == "ministry" and "foreign" in words]
        for group in (governments, foreign):
            if len(group) == 1:
                for country in countries:
                    result[tuple(country.split())] = group[0].key
                break
    return result


# Place words that may stand for a role's organisation ("Mali's foreign minister").
_PLACES = set(en.COUNTRIES) | set(en.COUNTRIES.values())


def _core(title_tokens):
    """The words a description must repeat to name a title: its head words ("foreign minister")."""
    return {token for token in title_tokens if token in en.TITLE_HEADS or token in {"foreign", "defense", "prime"}}


def _pick(candidates, recent):
    candidates = list(dict.fromkeys(candidates))
    if len(candidates) == 1:
        return candidates[0]
    for key in recent:
        if key in candidates:
            return key
    return None
