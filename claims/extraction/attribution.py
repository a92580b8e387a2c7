"""Attribution: the cue beside each quotation ("X said", "said X", "according to X") and who it names."""

import bisect
import functools
import re

from . import languages
from .people import People, country_body
from .sentences import _MASK, _comma_pieces, _excerpt, _masked, _sentence_end, _sentence_start
from .speakers import Proposal, _Index
from .words import _words

# How far back "recent" looks: the speakers named in the last few paragraphs, not the whole text.
_RECENT_MENTIONS = 50
_UNMASKED = re.compile("[^" + _MASK + "]+")
_CALLS = re.compile(r"\bcall(?:s|ed|ing)? (?:for|on)\b")


class _Attributor:
    def __init__(self, text, quotations, known_speakers, language="en"):
        self.r = languages.rules_for(language)
        self.text = text
        self.quotations = quotations
        self.index = _Index(known_speakers, self.r)
        self.masked = _masked(text, quotations)
        self.quotation_starts = [quotation.start for quotation in quotations]
        self.new_mentions = []  # (position, name, kind, folded words) of new speakers proposed so far
        self.new_people = {}  # last word → (name, folded words) of the new persons proposed so far
        # Known speakers found through a description ("the military", "l'armée"), nicknames: (position, key, name, kind)
        self.dynamic = []
        self.current_quote = 0
        self.last_cued = None  # the last proposal read from a cue: "the same statement" speaks for it
        self.paragraph_breaks = None  # where "\n\n" stands in masked, found when first asked for
        self.country_bodies = {}  # adjective → the one body of that country the text names, or None
        known_words = {
            " ".join(w for _, _, w in _words(name))
            for speaker in known_speakers
            if speaker.is_person
            for name in (speaker.name, *speaker.aliases)
        }
        # The text's words, read once: every rule asks for the words of some span of it. Only the
        # stretches between quotations are read (no word holds a masked character).
        words = [
            word
            for stretch in _UNMASKED.finditer(self.masked)
            for word in _words(self.masked, stretch.start(), stretch.end())
        ]
        self.all_words = words
        self.word_starts = [word[0] for word in words]
        self.known_mentions = self.index.mentions(self.masked, words=words)
        self.known_starts = [start for start, _, _ in self.known_mentions]
        # The words a speech verb or an "according to" can start with: any other word is passed over at once.
        self.verb_starters = set(self.r.SPEECH_VERBS) | {phrase[0] for phrase in self.r.ACCORDING}
        self.people = People(self.masked, words, self.r, _looks_like_person, known_words)
        # "The military", "l'armée malienne" named anywhere: pronouns after them may point back to them.
        self.bodies = []
        for n, (word_start, _, key) in enumerate(words):
            if key in self.r.ARMY_WORDS:
                army = self._army([w[2] for w in words[max(0, n - 1) : n + 3]], word_start)
                if army:
                    self.bodies.append((word_start, army))
        self.body_starts = [start for start, _ in self.bodies]

    def words(self, start, end=None):
        """The words lying wholly in masked[start:end], from the one reading of the text."""
        first, last = self._word_range(start, len(self.masked) if end is None else end)
        return self.all_words[first:last]

    def _word_range(self, start, end):
        first = bisect.bisect_left(self.word_starts, start)
        last = bisect.bisect_left(self.word_starts, end, lo=first)
        while last > first and self.all_words[last - 1][1] > end:
            last -= 1
        return first, last

    def _mentions_before(self, position):
        """Known mentions starting before `position`, nearest first (bisected: no scan from the start)."""
        k = bisect.bisect_left(self.known_starts, position)
        return reversed(self.known_mentions[max(0, k - _RECENT_MENTIONS) : k])

    # Resolution of a noun phrase ------------------------------------------------------------

    def recent(self, position, kind=None):
        """Known speakers named before `position`, most recent first, optionally of one kind."""
        keys = []
        for _, _, key in self._mentions_before(position):
            if (kind is None or self._kind_matches(key, kind)) and key not in keys:
                keys.append(key)
        return keys

    def _kind_matches(self, key, kind):
        person = self.index.speakers[key].is_person
        return person if kind == "person" else not person

    def _kind_fits(self, is_person, kind):
        return kind == "any" or is_person == (kind == "person")

    def resolve_pronoun(self, pronoun, position):
        """The last person (he, she) or body (it) introduced before `position`: (key, new name, new kind)."""
        kind = self.r.PRONOUNS.get(pronoun) or self.r.POSSESSIVES.get(pronoun, "any")
        best = None
        for start, _, key in self._mentions_before(position):
            if kind == "any" or self._kind_matches(key, kind):
                best = (start, key, None, None)
                break
        if self._kind_fits(False, kind):
            k = bisect.bisect_left(self.body_starts, position)
            if k and (best is None or self.bodies[k - 1][0] > best[0]):
                best = (self.bodies[k - 1][0], self.bodies[k - 1][1], None, None)
        if self._kind_fits(True, kind):
            person = self.people.last_before(position)
            if person and (best is None or person[0] > best[0]):
                best = (person[0], None, person[1], "person")
        # Mentions found while attributing are recorded in that order, which roughly follows the text.
        for start, key, name, new_kind in reversed(self.dynamic[-_RECENT_MENTIONS:]):
            if start < position and self._kind_fits(new_kind == "person", kind) and (best is None or start > best[0]):
                best = (start, key, name, new_kind)
        for start, name, new_kind, _ in reversed(self.new_mentions[-_RECENT_MENTIONS:]):
            if start < position and self._kind_fits(new_kind == "person", kind) and (best is None or start > best[0]):
                best = (start, None, name, new_kind)
        if best is None:
            return None
        if best[1] is None and best[3] == "person":
            # A person already proposed under this name keeps one spelling.
            return self._known_person(best[2]) or best[1:]
        return best[1:]

    def _known_person(self, name):
        keys = tuple(w for _, _, w in _words(name))
        owners = self.index.patterns.get(keys)
        if owners and len(owners) == 1 and self.index.speakers[next(iter(owners))].is_person:
            return (next(iter(owners)), None, None)
        return None

    def resolve(self, start, end, cue, confidence, prefer_first=False):
        """A Proposal for the noun phrase masked[start:end], or None when it names nobody."""
        phrase = self.masked[start:end]
        if _MASK in phrase or not phrase.strip():
            return None
        words = self.words(start, end)
        if not words:
            return None
        keys = [word for _, _, word in words]
        mentions = self.index.mentions(self.masked, words=words)
        persons = [m for m in mentions if self.index.speakers[m[2]].is_person]
        if persons:
            chosen = persons[0] if prefer_first else persons[-1]
            return Proposal(speaker_key=chosen[2], confidence=confidence, cue=cue)
        pronoun = keys[0] if prefer_first else keys[-1]
        if pronoun in self.r.CROWD_WORDS and self.index.places:
            key = self._crowd(start)
            if key:
                return Proposal(speaker_key=key, confidence=confidence - 0.2, cue=cue + " (crowd, by place)")
        if pronoun in self.r.SUBJECT_PRONOUNS:
            return self._pronoun(pronoun, start, cue, confidence)
        if not persons and any(key in self.r.ARMY_WORDS for key in keys):
            key = self._army(keys, start)
            if key:
                self.dynamic.append((start, key, None, "organisation"))
                return Proposal(speaker_key=key, confidence=confidence - 0.1, cue=cue + " (the army)")
        capitalised = self._new_name(words)
        if not mentions and (not capitalised or _is_country(capitalised, self.r)):
            proposal = self._country_or_document(keys, start, cue, confidence)
            if proposal:
                return proposal
        described = keys[0] in self.r.DETERMINERS and any(key in self.r.TITLE_HEADS for key in keys)
        if described:
            # "the director of the Sahel Observatory": a role, so its holder, not "Sahel Observatory".
            key = self.index.by_title(phrase, self.recent(start))
            if key:
                return Proposal(speaker_key=key, confidence=confidence - 0.1, cue=cue + " (title)")
        if capitalised and not mentions and not described and _looks_like_person(capitalised, self.r):
            return self._new(capitalised, start, cue, confidence)
        if any(key in self.r.TITLE_HEADS for key in keys):
            key = self.index.by_title(phrase, self.recent(start))
            if key:
                return Proposal(speaker_key=key, confidence=confidence - 0.1, cue=cue + " (title)")
        if mentions:
            chosen = mentions[0] if prefer_first else mentions[-1]
            return Proposal(speaker_key=chosen[2], confidence=confidence, cue=cue)
        if keys[0] in self.r.POSSESSIVES:
            return self._pronoun(keys[0], start, cue, confidence)
        if capitalised:
            return self._new(capitalised, start, cue, confidence)
        if keys[0] in {"the", "this", "that"} and len(keys) >= 2:
            for noun in reversed(keys[1:]):
                key = self.index.by_description(noun, self.recent(start))
                if key:
                    return Proposal(speaker_key=key, confidence=confidence - 0.2, cue=cue + " (description)")
        return None

    def _crowd(self, position):
        """The known crowd whose place is named last in this paragraph (or the one before) up to the quotation."""
        stop = max(position, self.current_quote)
        paragraph = self._paragraph_break_before(position)
        earlier = self._paragraph_break_before(max(paragraph, 0))
        for window_start in (max(paragraph, 0), max(earlier, 0)):
            first, last = self._word_range(window_start, stop)
            for k in range(last - 1, first - 1, -1):  # nearest first, without copying the paragraph's words
                word = self.all_words[k][2]
                owners = [key for key, places in self.index.places.items() if word in places]
                if len(owners) == 1:
                    return owners[0]
        return None

    def _paragraph_break_before(self, end):
        """masked.rfind("\\n\\n", 0, end), from the breaks found once."""
        if self.paragraph_breaks is None:
            newlines = [match.start() for match in re.finditer("\n", self.masked)]
            self.paragraph_breaks = [p for p, q in zip(newlines, newlines[1:], strict=False) if q == p + 1]
        k = bisect.bisect_right(self.paragraph_breaks, end - 2) - 1
        return self.paragraph_breaks[k] if k >= 0 else -1

    def _army(self, keys, position):
        """The armed forces a description names ("the military", "l'armée malienne", "Mali army")."""
        candidates = [key for key, speaker in self.index.speakers.items() if speaker.kind == "armed_forces"]
        if not candidates:
            return None
        adjectives = {self.r.COUNTRIES.get(key) or getattr(self.r, "DEMONYMS", {}).get(key) or key for key in keys}
        named = [key for key in candidates if adjectives & self.index.name_tokens[key]]
        if named:
            return named[0] if len(named) == 1 else None
        for key in self.recent(position):
            if key in candidates:
                return key
        return candidates[0] if len(candidates) == 1 else None

    def _country_or_document(self, keys, position, cue, confidence):
        """A country speaks through the one body of it the text names; a statement, for whoever issued it."""
        joined = f" {' '.join(keys)} "
        for country, adjective in self.r.COUNTRIES.items():
            if f" {country} " in joined:
                body = self._country_body(adjective)
                if body:
                    return self._new(body, position, cue + " (the country's body named in the text)", confidence)
                break
        if any(key in self.r.DOCUMENT_NOUNS for key in keys) and self.last_cued is not None:
            return _inherit(self.last_cued, self.last_cued.confidence - 0.1, cue + " (the same statement)")
        return None

    def _country_body(self, adjective):
        """country_body reads the whole text: once per country, not once per quotation naming it."""
        if adjective not in self.country_bodies:
            self.country_bodies[adjective] = country_body(self.masked, adjective, self.r)
        return self.country_bodies[adjective]

    def _pronoun(self, pronoun, position, cue, confidence):
        resolved = self.resolve_pronoun(pronoun, position)
        if resolved is None:
            return None
        key, name, new_kind = resolved
        if key:
            return Proposal(speaker_key=key, confidence=confidence - 0.15, cue=cue + " (pronoun)")
        return Proposal(new_name=name, new_kind=new_kind, confidence=confidence - 0.25, cue=cue + " (pronoun)")

    def _new_name(self, words):
        """The longest run of capitalised words (particles allowed inside) that is not a function word."""
        best, run = [], []
        for word in words:
            if self.masked[word[1] - 2 : word[1]] in ("'s", "’s"):
                # "Mali's foreign minister": the possessor is not the speaker, nor part of its name.
                best, run = max(best, _strip_particles(run, self.r), key=len), []
                continue
            first_char = self.masked[word[0]]
            capital = first_char.isupper() or (first_char.isdigit() and run)
            name_word = word[2] not in self.r.FUNCTION_WORDS and word[2] not in self.r.NOT_NAMES
            if capital and name_word or run and word[2] in self.r.PARTICLES:
                run.append(word)
            else:
                best, run = max(best, _strip_particles(run, self.r), key=len), []
        best = max(best, _strip_particles(run, self.r), key=len)
        # "Foreign Minister Abdoulaye Diop", "Col. Assimi Goïta": the title is not part of the name.
        while len(best) > 1 and (best[0][2] in self.r.TITLE_HEADS or best[0][2] in self.r.NAME_PREFIXES):
            best = best[1:]
        if not best or self.masked[best[0][0]].islower():
            return None
        name = self.masked[best[0][0] : best[-1][1]]
        if name.count("(") > name.count(")"):
            # "Economic Community of West African States (Ecowas)": the gloss closes with the name.
            name = name + ")" if self.masked[best[-1][1] : best[-1][1] + 1] == ")" else name[: name.index("(")].rstrip()
        sentence_start = _sentence_start(self.masked, best[0][0])
        after = self.masked[best[-1][1] : best[-1][1] + 1]
        opens_sentence = not self.masked[sentence_start : best[0][0]].strip(" *_\"“'")
        if len(best) == 1 and opens_sentence and after == "," and not self.people.full_name(best[0][2]):
            return None  # "Afterwards, …": a sentence-opening word, not a name (unless a surname: "Doe, …")
        return name

    def _new(self, name, position, cue, confidence):
        folded = [word for _, _, word in _words(name)]
        # "Doe said": the person the text introduced in full ("Colonel Jane Doe"), never a bare surname.
        full = self.people.full_name(folded[-1]) if len(folded) == 1 else None
        if full:
            known = self._known_person(full)
            if known:
                return Proposal(speaker_key=known[0], confidence=confidence, cue=cue)
            name, folded = full, [word for _, _, word in _words(full)]
        kind = "person" if _looks_like_person(name, self.r) else "organisation"
        # A new person named in full once, then by surname alone, is one speaker (looked up by last word).
        earlier = self.new_people.get(folded[-1])
        if earlier and (folded == earlier[1][-1:] or earlier[1] == folded[-1:]):
            name, kind = max(name, earlier[0], key=len), "person"
            folded = max(folded, earlier[1], key=len)
        if kind == "person" and (folded[-1] not in self.new_people or len(folded) > 1):
            self.new_people[folded[-1]] = (name, folded)
        self.new_mentions.append((position, name, kind, folded))
        return Proposal(new_name=name, new_kind=kind, confidence=round(confidence - 0.2, 2), cue=cue + " (new name)")

    # Cues -------------------------------------------------------------------------------------

    def verbs(self, start, end):
        """(start, end, word) for each speech verb in masked[start:end]."""
        found = []
        words = self.words(start, end)
        starters = self.verb_starters
        for n, (word_start, word_end, key) in enumerate(words):
            if key not in starters:
                continue
            previous = words[n - 1][2] if n else ""
            if n and self.masked[words[n - 1][1] - 2 : words[n - 1][1]] in ("'s", "’s"):
                continue  # "Tassi's remarks": a noun after a possessive, not a verb
            if previous in self.r.FIRST_PERSON:
                continue  # "je cite", "I quote": the reporter speaking, not the speaker
            if key in self.r.SPEECH_VERBS and self.masked[word_start].islower() and previous not in self.r.DETERMINERS:
                found.append((word_start, word_end, key))
                continue
            for phrase in self.r.ACCORDING:
                if key == phrase[0] and tuple(w[2] for w in words[n : n + len(phrase)]) == phrase:
                    found.append((word_start, words[n + len(phrase) - 1][1], "according to"))
                    break
        # "read a statement", "a lu un message": reading out words is saying them.
        for match in self.r.READS.finditer(self.masked, start, end):
            found.append((match.start(), match.end(), "read a statement"))
        # "called for" reads as speech too.
        segment = self.masked[start:end]
        if "call" in segment:
            for match in _CALLS.finditer(segment):
                found.append((start + match.start(), start + match.end(), "called for"))
        return sorted(found)

    def _strip_auxiliaries(self, start, end):
        """Move `end` back over "had", "also", "went on to", "later" between a subject and its verb."""
        words = self.words(start, end)
        while (
            words
            and self.masked[words[-1][0]].islower()
            and (words[-1][2] in self.r.AUXILIARIES or (words[-1][2].endswith("ly") and len(words) > 1))
        ):
            end = words[-1][0]
            words = words[:-1]
        return end

    def _tail(self, start, end):
        """Where the noun phrase ending at `end` begins: after the last joining word or verb form."""
        begin = start
        words = self.words(start, end)
        for word_start, word_end, key in words:
            lowered = self.masked[word_start].islower()
            verb_form = lowered and key.endswith(self.r.VERB_ENDINGS) and key not in self.r.NOUNS_ENDING_LIKE_VERBS
            if key in self.r.JOINERS or verb_form:
                begin = word_end
        return begin

    def _pieces(self, start, end):
        """Comma-separated pieces of masked[start:end], parenthetical remarks left out."""
        segment = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), self.masked[start:end])
        return _comma_pieces(segment, start)

    def subject_before(self, region_start, verb_start, cue, confidence):
        """The subject written just before a verb, an appositive (", a lecturer at …,") skipped."""
        end = self._strip_auxiliaries(region_start, verb_start)
        pieces = self._pieces(region_start, end)
        for piece_start, piece_end in reversed(pieces):
            piece = self.masked[piece_start:piece_end]
            if not piece.strip(' \n*_"”’“‘«»'):
                continue
            last_mask = piece.rfind(_MASK)
            if last_mask != -1:
                piece_start += last_mask + 1
            elif piece_start > pieces[0][0] and piece_end < pieces[-1][0] and _is_appositive(piece, self.r):
                continue  # ", head of the guard since 2011,": it describes the name before it
            tail_start = self._tail(piece_start, piece_end)
            phrase = self.masked[tail_start:piece_end]
            if not phrase.strip(' \n*_"”’“‘«»'):
                return None
            last = piece_start >= pieces[-1][0]
            if (
                _is_appositive(phrase, self.r)
                and len(pieces) > 1
                and not (last and self._describes(tail_start, piece_end))
            ):
                continue
            return self.resolve(tail_start, piece_end, cue, confidence)
        return None

    def subject_following(self, region_start, verb_start, cue, confidence):
        """After a quotation the subject comes first: “…,” Nicolas Lerner, head of the DGSE, told …"""
        end = self._strip_auxiliaries(region_start, verb_start)
        for piece_start, piece_end in self._pieces(region_start, end):
            piece = self.masked[piece_start:piece_end]
            if not piece.strip(' \n*_"”’“‘«»'):
                continue
            proposal = self.resolve(piece_start, piece_end, cue, confidence, prefer_first=True)
            if proposal:
                return proposal
            if _is_appositive(piece, self.r):
                continue
            return None
        return None

    def subject_after(self, start, end, cue, confidence):
        """The subject written after a verb ("said Diop", "added its travel advisory", "a indiqué l'état-major").

        Circumstances before it are skipped ("a indiqué, de son côté, l'état-major"); a title followed
        by a name ("said the head of the agency (the XYZ), Jane Doe") names the person.
        """
        pieces = [
            (piece_start, self._cut_at_stops(piece_start, piece_end))
            for piece_start, piece_end in self._pieces(start, end)
        ]
        while pieces and (not self._has_words(*pieces[0]) or self._adverbial(*pieces[0])):
            if _MASK in self.masked[pieces[0][0] : pieces[0][1]]:
                return None
            pieces = pieces[1:]
        if not pieces:
            return None
        first_start, first_end = pieces[0]
        proposal = self.resolve(first_start, first_end, cue, confidence, prefer_first=True)
        if (
            len(pieces) > 1
            and self._describes(first_start, first_end)
            and not (proposal and self._is_known_person(proposal))
        ):
            # "le chef de l'Etat malien, le colonel Assimi Goïta": the name after the title.
            named = self.resolve(*pieces[1], cue + " (the name after the title)", confidence, prefer_first=True)
            if named is not None and (named.new_kind == "person" or self._is_known_person(named)):
                return named
        return proposal

    def _cut_at_stops(self, start, end):
        stop = self.r.SUBJECT_STOPS.search(self.masked, start, end)
        return stop.start() if stop else end

    def _has_words(self, start, end):
        return bool(self.words(start, end))

    def _adverbial(self, start, end):
        """ "de son côté", "for her part": a circumstance between a verb and its subject."""
        words = self.words(start, end)
        return bool(words) and words[0][2] in self.r.ADVERBIAL and not any(self.masked[w[0]].isupper() for w in words)

    def _describes(self, start, end):
        """A description rather than a name: "the head of …", "le chef de l'Etat malien"."""
        words = self.words(start, end)
        return bool(words) and (words[0][2] in self.r.DETERMINERS or any(w[2] in self.r.TITLE_HEADS for w in words))

    def _is_known_person(self, proposal):
        return bool(proposal.speaker_key) and self.index.speakers[proposal.speaker_key].is_person

    def leading_subject(self, sentence_start, stop, cue, confidence):
        """The subject that opens a clause: "Australia followed suit, warning …", "Later, the ministry …"."""
        for piece_start, piece_end in self._pieces(sentence_start, stop):
            words = self.words(piece_start, piece_end)
            end = piece_start
            for word_start, word_end, key in words:
                ordinary = key not in self.r.FUNCTION_WORDS and key not in self.r.TITLE_HEADS and not _descriptive(key)
                verb_like = key.endswith(("ed", "s")) or key in self.r.SPEECH_VERBS or key in self.r.AUXILIARIES
                verb_like = verb_like and key not in self.r.CROWD_WORDS
                if self.masked[word_start].islower() and ordinary and verb_like:
                    break
                end = word_end
            if end > piece_start:
                proposal = self.resolve(piece_start, end, cue, confidence, prefer_first=True)
                if proposal:
                    return proposal
        return None

    def attribute(self, index):
        proposal = self._attribute(index)
        if proposal is not None and proposal.is_attributed:
            self.last_cued = proposal
        return proposal

    def _attribute(self, index):
        quotation = self.quotations[index]
        self.current_quote = quotation.start
        start, end = quotation.start, quotation.end
        # 0. A nickname or call sign in quote marks ("known as “Proud”") is a name nobody said.
        nickname = self.r.NICKNAME_CUES.search(self.masked, max(0, start - 60), start)
        if nickname:
            self.dynamic.append((start, None, quotation.text, "person"))
            return Proposal(
                confidence=0.6, cue=f"a nickname, not speech: {_excerpt(self.masked, nickname.start(), start)}"
            )
        sentence_start = _sentence_start(self.masked, start)
        sentence_end = _sentence_end(self.masked, end)
        following = bisect.bisect_left(self.quotation_starts, end, lo=index + 1)
        next_quote = self.quotation_starts[following] if following < len(self.quotations) else len(self.text)
        after_end = min(sentence_end, next_quote)
        closing = self.text[end : end + 1]
        ends_sentence = self.text[end - 1 : end] == "." and closing in "\"”’»“'"

        # 1. A cue right after the quotation: “…,” X said / “…,” said X / “…?” questioned X.
        if not ends_sentence:
            verbs = [v for v in self.verbs(end, after_end) if v[0] - end < 200]
            if verbs:
                verb = verbs[0]
                between = self.masked[end : verb[0]]
                excerpt = _excerpt(self.masked, end, verb[1])
                between_words = _words(between)
                opening = between_words[:1]
                # French puts an auxiliary, or the subject pronoun itself, around the verb: "a déclaré X",
                # "a-t-il ajouté", "poursuit-elle".
                only_auxiliaries = all(word[2] in self.r.AUXILIARIES for word in between_words)
                inverted = self.r.INVERTED_PRONOUN and self.r.INVERTED_PRONOUN.search(
                    self.masked, end, min(verb[1] + 12, after_end)
                )
                if inverted:
                    proposal = self._pronoun(inverted.group(1).lower(), end, f"after: {excerpt}", 0.85)
                elif not between.strip(' ,"”’“»*_\n\x00') or only_auxiliaries:
                    if verb[2] in self.r.PARTICIPLES:
                        proposal = self.participle(sentence_start, end, verb, excerpt)
                    else:
                        proposal = self.subject_after(verb[1], after_end, f"after: {excerpt}", 0.9)
                elif (
                    opening
                    and between[opening[0][0]].islower()
                    and opening[0][2] not in self.r.DETERMINERS | set(self.r.PRONOUNS)
                ):
                    # “…” and handed it over …, he said: a clause first, its subject just before the verb.
                    proposal = self.subject_before(end, verb[0], f"after: {excerpt}", 0.85)
                else:
                    proposal = None
                    if between.rstrip().endswith(",") and verb[2] not in self.r.TAKES_LISTENER:
                        # “…,” the name of the UN force here, said Jane Doe: the subject follows the verb.
                        proposal = self.subject_after(verb[1], after_end, f"after: {excerpt}", 0.85)
                        if proposal is not None and not proposal.new_name and not self._is_known_person(proposal):
                            proposal = None
                    if proposal is None:
                        proposal = self.subject_following(end, verb[0], f"after: {excerpt}", 0.9)
                if proposal:
                    return proposal
        # 2. A cue before it in the same sentence: X said: “…” / X insisted that “…” / according to X, “…”.
        verbs = self.verbs(sentence_start, start)
        verbs = [v for v in verbs if v[2] not in self.r.WEAK_VERBS or start - v[1] < 40]
        if verbs:
            verb = verbs[-1]
            excerpt = _excerpt(self.masked, verb[0], start)
            if verb[2] == "according to":
                proposal = self.subject_after(verb[1], start, f"according to: {excerpt}", 0.85)
            elif verb[2] in self.r.PARTICIPLES:
                proposal = self.participle(sentence_start, verb[0], verb, excerpt)
            elif self._incise(verb, start):
                # "devrait amener, dit John Lechner, « … »": the verb and its subject set off by commas.
                proposal = self.subject_after(verb[1], start, f"before: {excerpt}", 0.85)
            else:
                proposal = self.subject_before(sentence_start, verb[0], f"before: {excerpt}", 0.85)
                if proposal is None and not self.masked[sentence_start : verb[0]].strip(" *_\n"):
                    proposal = self.subject_after(verb[1], start, f"before: {excerpt}", 0.7)  # Said the minister: “…”
            if proposal:
                return proposal
        return None

    def _incise(self, verb, quotation_start):
        """ ", dit John Lechner, « … »": commas on both sides of the verb and the name after it."""
        before = self.masked[max(0, verb[0] - 3) : verb[0]].rstrip()
        after = self.masked[verb[1] : quotation_start].strip(" \"“”‘’«»'\u00a0\u202f")
        return before.endswith(",") and after[:1].isupper() and after.endswith(",")

    def participle(self, sentence_start, before, verb, excerpt):
        """“…”, adding/warning/insisting …: the subject is the sentence's speaker."""
        cue = f"participle: {excerpt}"
        earlier = [v for v in self.verbs(sentence_start, before) if v[2] not in self.r.PARTICIPLES]
        if earlier:
            proposal = self.subject_before(sentence_start, earlier[-1][0], cue, 0.8)
            if proposal is None and earlier[-1][0] > sentence_start:
                # “…,” the IS wrote, adding later, “…”: the subject sits after the first quotation.
                region = self.masked.rfind(_MASK, sentence_start, earlier[-1][0])
                if region != -1:
                    proposal = self.subject_following(region + 1, earlier[-1][0], cue, 0.8)
            if proposal:
                return proposal
        # "Australia followed suit, warning, “…”": the subject that opens the sentence.
        return self.leading_subject(sentence_start, verb[0], cue, 0.7)

    def _cue_in_previous_paragraph(self, quotation):
        """ "Jane Doe said." then a paragraph that is all quotation: the cue a paragraph earlier."""
        # Only the spaces and marks just before the quotation can hold the paragraph break: looking
        # further back (a text without line breaks) for every quotation would be quadratic.
        lead = quotation.start
        while lead > 0 and (self.masked[lead - 1].isspace() or self.masked[lead - 1] in _PARAGRAPH_LEAD):
            lead -= 1
        opening = self.masked.rfind("\n", lead, quotation.start)
        if opening < 1 or not _PARAGRAPH_START.search(self.masked, max(0, opening - 4), quotation.start):
            return None
        cue_end = opening
        while cue_end > 0 and self.masked[cue_end - 1].isspace():
            cue_end -= 1
        if self.masked[cue_end - 1 : cue_end] not in (".", ":"):
            return None
        cue_start = _sentence_start(self.masked, cue_end - 1)
        verbs = self.verbs(cue_start, cue_end)
        if not verbs or self.masked[verbs[-1][1] : cue_end].strip(" .:"):
            return None  # the sentence must end on its verb of saying: "…, she said." / "X warned:"
        verb = verbs[-1]
        excerpt = _excerpt(self.masked, cue_start, cue_end)
        cue = f"the paragraph before: {excerpt}"
        proposal = self.subject_before(cue_start, verb[0], cue, 0.7)
        if proposal is None:
            proposal = self.subject_after(verb[1], cue_end, cue, 0.7)
        return proposal

    def fallback(self, index, previous, cued):
        """No cue beside the quotation: its sentence's speaker, or whoever spoke just before."""
        quotation = self.quotations[index]
        sentence_start = _sentence_start(self.masked, quotation.start)
        sentence_end = _sentence_end(self.masked, quotation.end)
        # Only the clause holding the quotation: in "…, while the Council declared …" the Council is another voice.
        clause_start, clause_end = sentence_start, sentence_end
        for match in self.r.CLAUSE_BREAK.finditer(self.masked, sentence_start, sentence_end):
            if match.end() <= quotation.start:
                clause_start = match.end()
            elif match.start() >= quotation.end:
                clause_end = min(clause_end, match.start())
        # “Upon arriving in” Kidal, “France forbade …,” he said: one sentence, one speaker.
        first = bisect.bisect_left(self.quotation_starts, clause_start)
        last = bisect.bisect_left(self.quotation_starts, clause_end)
        same_sentence = [
            (abs(self.quotations[k].start - quotation.start), cued[k])
            for k in range(first, last)
            if k != index and cued[k] is not None
        ]
        if same_sentence:
            _, sibling = min(same_sentence, key=lambda pair: pair[0])
            return _inherit(sibling, sibling.confidence - 0.1, "same sentence as: " + sibling.cue)
        first_words = self.words(sentence_start, quotation.start)[:3]
        if first_words and first_words[0][2] in self.r.SUBJECT_PRONOUNS:
            proposal = self.resolve(first_words[0][0], first_words[0][1], "sentence subject", 0.55)
            if proposal:
                return proposal
        if (
            len(first_words) >= 2
            and first_words[0][2] in self.r.POSSESSIVES
            and any(word[2] in self.r.MESSAGE_NOUNS for word in first_words[1:])
        ):
            # "His last message: “…”", "Son dernier message radio : « … »": the possessor's words.
            excerpt = _excerpt(self.masked, sentence_start, quotation.start)
            proposal = self._pronoun(first_words[0][2], sentence_start, f"their words: {excerpt}", 0.65)
            if proposal:
                return proposal
        proposal = self._cue_in_previous_paragraph(quotation)
        if proposal:
            return proposal
        named = self.known_mentions[
            bisect.bisect_left(self.known_starts, clause_start) : bisect.bisect_left(self.known_starts, clause_end)
        ]
        if named:
            before = [m for m in named if m[0] < quotation.start]
            chosen = before[-1] if before else named[0]
            excerpt = self.masked[chosen[0] : chosen[1]]
            return Proposal(speaker_key=chosen[2], confidence=0.45, cue=f"named in the sentence: {excerpt}")
        # A sentence with its own speech verb names someone else, even when the name is not understood.
        has_own_cue = any(
            self.r.INTRODUCES.match(self.masked[verb[1] : quotation.start])
            for verb in self.verbs(sentence_start, quotation.start)
        )
        if previous is not None and previous[1].is_attributed and not has_own_cue:
            gap_start = self.quotations[previous[0]].end
            if quotation.start - gap_start < 600 and self.text.count("\n\n", gap_start, quotation.start) <= 1:
                return _inherit(previous[1], 0.4, "continues the previous quotation")
        return None


_PARAGRAPH_START = re.compile(r"\n[ \t]*\n[\s\"“”‘’«»'*_]*\Z")
_PARAGRAPH_LEAD = set("\"“”‘’«»'*_")  # with spaces, what may stand between a paragraph break and a quotation


@functools.lru_cache(maxsize=10_000)
def _is_country(name, r):
    return " ".join(w for _, _, w in _words(name)) in r.COUNTRIES


def _inherit(proposal, confidence, cue):
    return Proposal(
        speaker_key=proposal.speaker_key,
        new_name=proposal.new_name,
        new_kind=proposal.new_kind,
        confidence=round(confidence, 2),
        cue=cue,
    )


def _strip_particles(run, r):
    while run and run[0][2] in r.PARTICLES and len(run) == 1:
        run = run[1:]
    while run and run[-1][2] in r.PARTICLES:
        run = run[:-1]
    return run


@functools.lru_cache(maxsize=10_000)  # names recur through an article; each is read once
def _looks_like_person(name, r):
    words = [word for _, _, word in _words(name)]
    return 2 <= len(words) <= 4 and not any(word in r.ORGANISATION_WORDS for word in words) and not name.isupper()


def _descriptive(key):
    return key.endswith(("an", "ese", "ish", "i")) and len(key) > 3 or key in {"military", "foreign", "general"}


def _is_appositive(phrase, r):
    """ ", a lecturer at the University of Kent," describes the name before it; it is not the name."""
    words = phrase.strip().split()
    return bool(words) and (words[0].lower() in {"a", "an"} or (words[0][:1].islower() and words[0] not in r.PRONOUNS))


def propose_speakers(text, quotations, known_speakers=(), language="en", progress=None):
    """One Proposal per quotation, in order: from its cue, else its sentence, else its neighbour."""
    attributor = _Attributor(text, quotations, list(known_speakers), language)
    proposals = []
    for index in range(len(quotations)):
        proposals.append(attributor.attribute(index))
        if progress is not None:
            progress(index + 1, len(quotations))
    # Pieces of one statement cut by an attribution share the speaker the attribution names.
    groups = {}
    for i, quotation in enumerate(quotations):
        if quotation.split_group is not None:
            groups.setdefault(quotation.split_group, []).append(i)
    for members in groups.values():
        best = max((proposals[i] for i in members if proposals[i]), key=lambda p: p.confidence, default=None)
        for i in members:
            if proposals[i] is None and best is not None:
                proposals[i] = Proposal(
                    speaker_key=best.speaker_key,
                    new_name=best.new_name,
                    new_kind=best.new_kind,
                    confidence=round(best.confidence - 0.05, 2),
                    cue="split quotation: " + best.cue,
                )
    headline_texts = {}
    has_headline = any(quotation.is_headline for quotation in quotations)
    for i, quotation in enumerate(quotations):
        # Only a headline reads these: without one, tokenising every quotation is wasted.
        if has_headline and proposals[i] is not None and not quotation.is_headline:
            headline_texts.setdefault(_comparable(quotation.text), proposals[i])
    previous = None
    final = []
    for i, quotation in enumerate(quotations):
        proposal = proposals[i]
        if proposal is None and quotation.is_headline:
            # A headline repeats words the article quotes in full further down.
            for body_text, body in headline_texts.items():
                if _comparable(quotation.text) in body_text and body.is_attributed:
                    proposal = Proposal(
                        speaker_key=body.speaker_key,
                        new_name=body.new_name,
                        new_kind=body.new_kind,
                        confidence=0.6,
                        cue="headline repeating a quotation in the text",
                    )
                    break
        if proposal is None:
            proposal = attributor.fallback(i, previous, proposals)
        proposal = proposal or Proposal(cue="no cue found")
        proposal = Proposal(
            speaker_key=proposal.speaker_key,
            new_name=proposal.new_name,
            new_kind=proposal.new_kind,
            confidence=round(max(0.0, min(1.0, proposal.confidence)), 2),
            cue=(("truncated: the text ends before the closing mark; " if quotation.truncated else "") + proposal.cue)[
                :300
            ],
        )
        final.append(proposal)
        if proposal.is_attributed:
            previous = (i, proposal)
    return final


def _comparable(text):
    return " ".join(word for _, _, word in _words(text))
