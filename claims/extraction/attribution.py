"""Attribution: the cue beside each quotation ("X said", "said X", "according to X") and who it names."""

import bisect
import re

from .languages.en import (
    _AUXILIARIES,
    _CLAUSE_BREAK,
    _CROWD_WORDS,
    _DETERMINERS,
    _FUNCTION_WORDS,
    _INTRODUCES,
    _JOINERS,
    _NAME_PREFIXES,
    _NOT_NAMES,
    _NOUNS_ENDING_LIKE_VERBS,
    _ORGANISATION_WORDS,
    _PARTICIPLES,
    _PARTICLES,
    _WEAK_VERBS,
    PRONOUNS,
    SPEECH_VERBS,
    TITLE_HEADS,
)
from .sentences import _MASK, _comma_pieces, _excerpt, _masked, _sentence_end, _sentence_start
from .speakers import Proposal, _Index
from .words import _words

# How far back "recent" looks: the speakers named in the last few paragraphs, not the whole text.
_RECENT_MENTIONS = 200


class _Attributor:
    def __init__(self, text, quotations, known_speakers):
        self.text = text
        self.quotations = quotations
        self.index = _Index(known_speakers)
        self.masked = _masked(text, quotations)
        self.known_mentions = self.index.mentions(self.masked)
        self.known_starts = [start for start, _, _ in self.known_mentions]
        self.quotation_starts = [quotation.start for quotation in quotations]
        self.new_mentions = []  # (position, name, kind, folded words) of new speakers proposed so far
        self.current_quote = 0

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

    def resolve_pronoun(self, pronoun, position):
        kind = PRONOUNS[pronoun]
        best = None
        for start, _, key in self._mentions_before(position):
            if self._kind_matches(key, kind):
                best = (start, key, None, None)
                break
        # New mentions are recorded in attribution order, which roughly follows the text.
        for start, name, new_kind, _ in reversed(self.new_mentions[-_RECENT_MENTIONS:]):
            if start < position and (new_kind == "person") == (kind == "person") and (best is None or start > best[0]):
                best = (start, None, name, new_kind)
        if best is None:
            return None
        return best[1:]

    def resolve(self, start, end, cue, confidence, prefer_first=False):
        """A Proposal for the noun phrase masked[start:end], or None when it names nobody."""
        phrase = self.masked[start:end]
        if _MASK in phrase or not phrase.strip():
            return None
        words = _words(self.masked, start, end)
        if not words:
            return None
        keys = [word for _, _, word in words]
        mentions = self.index.mentions(self.masked, start, end)
        persons = [m for m in mentions if self.index.speakers[m[2]].is_person]
        if persons:
            chosen = persons[0] if prefer_first else persons[-1]
            return Proposal(speaker_key=chosen[2], confidence=confidence, cue=cue)
        pronoun = keys[0] if prefer_first else keys[-1]
        if pronoun in _CROWD_WORDS and self.index.places:
            key = self._crowd(start)
            if key:
                return Proposal(speaker_key=key, confidence=confidence - 0.2, cue=cue + " (crowd, by place)")
        if pronoun in {"he", "she", "it", "they"}:
            return self._pronoun(pronoun, start, cue, confidence)
        capitalised = self._new_name(words)
        if capitalised and not mentions and _looks_like_person(capitalised):
            return self._new(capitalised, start, cue, confidence)
        if any(key in TITLE_HEADS for key in keys):
            key = self.index.by_title(phrase, self.recent(start))
            if key:
                return Proposal(speaker_key=key, confidence=confidence - 0.1, cue=cue + " (title)")
        if mentions:
            chosen = mentions[0] if prefer_first else mentions[-1]
            return Proposal(speaker_key=chosen[2], confidence=confidence, cue=cue)
        if keys[0] in {"its", "his", "her", "their"}:
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
        paragraph = self.masked.rfind("\n\n", 0, position)
        earlier = self.masked.rfind("\n\n", 0, max(paragraph, 0))
        for window_start in (max(paragraph, 0), max(earlier, 0)):
            for _, _, word in reversed(_words(self.masked, window_start, stop)):
                owners = [key for key, places in self.index.places.items() if word in places]
                if len(owners) == 1:
                    return owners[0]
        return None

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
            first_char = self.masked[word[0]]
            capital = first_char.isupper() or (first_char.isdigit() and run)
            name_word = word[2] not in _FUNCTION_WORDS and word[2] not in _NOT_NAMES
            if capital and name_word or run and word[2] in _PARTICLES:
                run.append(word)
            else:
                best, run = max(best, _strip_particles(run), key=len), []
        best = max(best, _strip_particles(run), key=len)
        # "Foreign Minister Abdoulaye Diop", "Col. Assimi Goïta": the title is not part of the name.
        while len(best) > 1 and (best[0][2] in TITLE_HEADS or best[0][2] in _NAME_PREFIXES):
            best = best[1:]
        if not best or self.masked[best[0][0]].islower():
            return None
        name = self.masked[best[0][0] : best[-1][1]]
        sentence_start = _sentence_start(self.masked, best[0][0])
        after = self.masked[best[-1][1] : best[-1][1] + 1]
        if len(best) == 1 and not self.masked[sentence_start : best[0][0]].strip(" *_\"“'") and after == ",":
            return None  # "Afterwards, …": a sentence-opening word, not a name
        return name

    def _new(self, name, position, cue, confidence):
        kind = "person" if _looks_like_person(name) else "organisation"
        # A new person named in full once, then by surname alone, is one speaker.
        folded = [word for _, _, word in _words(name)]
        for _, earlier, earlier_kind, earlier_words in reversed(self.new_mentions[-_RECENT_MENTIONS:]):
            if earlier_kind == "person" and (folded == earlier_words[-1:] or earlier_words == folded[-1:]):
                name, kind = max(name, earlier, key=len), "person"
                folded = max(folded, earlier_words, key=len)
                break
        self.new_mentions.append((position, name, kind, folded))
        return Proposal(new_name=name, new_kind=kind, confidence=round(confidence - 0.2, 2), cue=cue + " (new name)")

    # Cues -------------------------------------------------------------------------------------

    def verbs(self, start, end):
        """(start, end, word) for each speech verb in masked[start:end]."""
        found = []
        words = _words(self.masked, start, end)
        for n, (word_start, word_end, key) in enumerate(words):
            previous = words[n - 1][2] if n else ""
            if key in SPEECH_VERBS and self.masked[word_start].islower() and previous not in _DETERMINERS:
                found.append((word_start, word_end, key))
            elif key == "according" and self.masked[word_end : word_end + 3] == " to":
                found.append((word_start, word_end + 3, "according to"))
        # "called for" reads as speech too.
        for match in re.finditer(r"\bcall(?:s|ed|ing)? (?:for|on)\b", self.masked[start:end]):
            found.append((start + match.start(), start + match.end(), "called for"))
        return sorted(found)

    def _strip_auxiliaries(self, start, end):
        """Move `end` back over "had", "also", "went on to", "later" between a subject and its verb."""
        words = _words(self.masked, start, end)
        while (
            words
            and self.masked[words[-1][0]].islower()
            and (words[-1][2] in _AUXILIARIES or (words[-1][2].endswith("ly") and len(words) > 1))
        ):
            end = words[-1][0]
            words = words[:-1]
        return end

    def _tail(self, start, end):
        """Where the noun phrase ending at `end` begins: after the last joining word or verb form."""
        begin = start
        words = _words(self.masked, start, end)
        for word_start, word_end, key in words:
            lowered = self.masked[word_start].islower()
            if key in _JOINERS or (lowered and key.endswith(("ed", "ing")) and key not in _NOUNS_ENDING_LIKE_VERBS):
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
            tail_start = self._tail(piece_start, piece_end)
            phrase = self.masked[tail_start:piece_end]
            if not phrase.strip(' \n*_"”’“‘«»'):
                return None
            if _is_appositive(phrase) and len(pieces) > 1:
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
            if _is_appositive(piece):
                continue
            return None
        return None

    def subject_after(self, start, end, cue, confidence):
        """The subject written after a verb ("said Diop", "added its travel advisory")."""
        stop = end
        match = re.search(r"[,;:(]|\s[-–—]\s", self.masked[start:end])
        if match:
            stop = start + match.start()
        for preposition in re.finditer(r"\s(?:in|on|at|during|after|before|to)\s", self.masked[start:stop]):
            stop = start + preposition.start()
            break
        return self.resolve(start, stop, cue, confidence, prefer_first=True)

    def leading_subject(self, sentence_start, stop, cue, confidence):
        """The subject that opens a clause: "Australia followed suit, warning …", "Later, the ministry …"."""
        for piece_start, piece_end in self._pieces(sentence_start, stop):
            words = _words(self.masked, piece_start, piece_end)
            end = piece_start
            for word_start, word_end, key in words:
                ordinary = key not in _FUNCTION_WORDS and key not in TITLE_HEADS and not _descriptive(key)
                verb_like = key.endswith(("ed", "s")) or key in SPEECH_VERBS or key in _AUXILIARIES
                verb_like = verb_like and key not in _CROWD_WORDS
                if self.masked[word_start].islower() and ordinary and verb_like:
                    break
                end = word_end
            if end > piece_start:
                proposal = self.resolve(piece_start, end, cue, confidence, prefer_first=True)
                if proposal:
                    return proposal
        return None

    def attribute(self, index):
        quotation = self.quotations[index]
        self.current_quote = quotation.start
        start, end = quotation.start, quotation.end
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
                opening = _words(between)[:1]
                if not between.strip(' ,"”’“»*_\n\x00'):
                    if verb[2] in _PARTICIPLES:
                        proposal = self.participle(sentence_start, end, verb, excerpt)
                    else:
                        proposal = self.subject_after(verb[1], after_end, f"after: {excerpt}", 0.9)
                elif opening and between[opening[0][0]].islower() and opening[0][2] not in _DETERMINERS | set(PRONOUNS):
                    # “…” and handed it over …, he said: a clause first, its subject just before the verb.
                    proposal = self.subject_before(end, verb[0], f"after: {excerpt}", 0.85)
                else:
                    proposal = self.subject_following(end, verb[0], f"after: {excerpt}", 0.9)
                if proposal:
                    return proposal
        # 2. A cue before it in the same sentence: X said: “…” / X insisted that “…” / according to X, “…”.
        verbs = self.verbs(sentence_start, start)
        verbs = [v for v in verbs if v[2] not in _WEAK_VERBS or start - v[1] < 40]
        if verbs:
            verb = verbs[-1]
            excerpt = _excerpt(self.masked, verb[0], start)
            if verb[2] == "according to":
                proposal = self.subject_after(verb[1], start, f"according to: {excerpt}", 0.85)
            elif verb[2] in _PARTICIPLES:
                proposal = self.participle(sentence_start, verb[0], verb, excerpt)
            else:
                proposal = self.subject_before(sentence_start, verb[0], f"before: {excerpt}", 0.85)
                if proposal is None and not self.masked[sentence_start : verb[0]].strip(" *_\n"):
                    proposal = self.subject_after(verb[1], start, f"before: {excerpt}", 0.7)  # Said the minister: “…”
            if proposal:
                return proposal
        return None

    def participle(self, sentence_start, before, verb, excerpt):
        """“…”, adding/warning/insisting …: the subject is the sentence's speaker."""
        cue = f"participle: {excerpt}"
        earlier = [v for v in self.verbs(sentence_start, before) if v[2] not in _PARTICIPLES]
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

    def fallback(self, index, previous, cued):
        """No cue beside the quotation: its sentence's speaker, or whoever spoke just before."""
        quotation = self.quotations[index]
        sentence_start = _sentence_start(self.masked, quotation.start)
        sentence_end = _sentence_end(self.masked, quotation.end)
        # Only the clause holding the quotation: in "…, while the Council declared …" the Council is another voice.
        clause_start, clause_end = sentence_start, sentence_end
        for match in _CLAUSE_BREAK.finditer(self.masked, sentence_start, sentence_end):
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
        first_words = _words(self.masked, sentence_start, quotation.start)[:1]
        if first_words and first_words[0][2] in {"he", "she", "they", "it"}:
            proposal = self.resolve(first_words[0][0], first_words[0][1], "sentence subject", 0.55)
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
            _INTRODUCES.match(self.masked[verb[1] : quotation.start])
            for verb in self.verbs(sentence_start, quotation.start)
        )
        if previous is not None and previous[1].is_attributed and not has_own_cue:
            gap = self.text[self.quotations[previous[0]].end : quotation.start]
            if gap.count("\n\n") <= 1 and len(gap) < 600:
                return _inherit(previous[1], 0.4, "continues the previous quotation")
        return None


def _inherit(proposal, confidence, cue):
    return Proposal(
        speaker_key=proposal.speaker_key,
        new_name=proposal.new_name,
        new_kind=proposal.new_kind,
        confidence=round(confidence, 2),
        cue=cue,
    )


def _strip_particles(run):
    while run and run[0][2] in _PARTICLES and len(run) == 1:
        run = run[1:]
    while run and run[-1][2] in _PARTICLES:
        run = run[:-1]
    return run


def _looks_like_person(name):
    words = [word for _, _, word in _words(name)]
    return 2 <= len(words) <= 4 and not any(word in _ORGANISATION_WORDS for word in words) and not name.isupper()


def _descriptive(key):
    return key.endswith(("an", "ese", "ish", "i")) and len(key) > 3 or key in {"military", "foreign", "general"}


def _is_appositive(phrase):
    """ ", a lecturer at the University of Kent," describes the name before it; it is not the name."""
    words = phrase.strip().split()
    return bool(words) and (words[0].lower() in {"a", "an"} or (words[0][:1].islower() and words[0] not in PRONOUNS))


def propose_speakers(text, quotations, known_speakers=()):
    """One Proposal per quotation, in order: from its cue, else its sentence, else its neighbour."""
    attributor = _Attributor(text, quotations, list(known_speakers))
    proposals = [attributor.attribute(index) for index in range(len(quotations))]
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
    for i, quotation in enumerate(quotations):
        if proposals[i] is not None and not quotation.is_headline:
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
            cue=proposal.cue[:300],
        )
        final.append(proposal)
        if proposal.is_attributed:
            previous = (i, proposal)
    return final


def _comparable(text):
    return " ".join(word for _, _, word in _words(text))
