"""Finding the quotations in an article and proposing who said each one.

Two plain steps, no Django: `find_quotations(text)` returns the spans between quote marks (every
style, mismatched pairs, nested quotes, headlines, quotations split by an attribution);
`propose_speakers(text, quotations, known_speakers)` reads the words around each span for the cue
that names its speaker ("X said", "said X", "according to X", "X, a lecturer at …, told RFI:",
"he added", "the foreign minister"). The rules are about English reporting style, not about any
one article: an article they have never seen is the case they are written for.

Offsets are Python string indices into the text as given, like the anchors of a Quote.
"""

import re
from dataclasses import dataclass, field

from .text import fold

# Quote marks -------------------------------------------------------------------------------

DOUBLE, SINGLE, GUILLEMET = "double", "single", "guillemet"
_FAMILY = {
    "“": DOUBLE, "”": DOUBLE, "„": DOUBLE, '"': DOUBLE, "‟": DOUBLE,
    "‘": SINGLE, "’": SINGLE, "'": SINGLE, "‚": SINGLE, "‹": SINGLE, "›": SINGLE,
    "«": GUILLEMET, "»": GUILLEMET,
}  # fmt: skip
_OPENERS = set("“„‟‘‚‹«")
_CLOSERS = set("”’›»")
_AMBIGUOUS = set("\"'")
# What may stand just outside a quotation: spaces, brackets, dashes, sentence punctuation,
# markdown emphasis and other quote marks (nested quotations open or close together).
_LEFT_CONTEXT = set("([{—–-/*_") | set(_FAMILY)
_RIGHT_CONTEXT = set(".,;:!?)]}—–-/…*_") | set(_FAMILY)
_INNER_SPACE = " \u00a0\u202f\u2009"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")
_TRAILING_COMMA = re.compile(r"[\s,;:]+$")


@dataclass(frozen=True)
class Quotation:
    """The words between one pair of quote marks (the marks themselves excluded)."""

    start: int
    end: int
    text: str
    style: str  # e.g. "“”", "\"\"", "«»", "‘’", "““" (a mismatched pair: opening mark used to close)
    is_headline: bool = False
    split_group: int | None = None  # quotations of one statement cut by an attribution share a group
    nested: tuple[tuple[int, int], ...] = ()  # quotations quoted inside this one
    kind: str = "direct"  # direct, headline, slogan or communique: a guess from the context


def _is_letter(char):
    return char.isalnum()


def _mark_roles(text, i):
    """(can_open, can_close, is_apostrophe) for the quote mark at text[i]."""
    char = text[i]
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    if char in "’'" and _is_letter(before) and _is_letter(after):
        return False, False, True  # Mali’s, Jama’at, we've: an apostrophe, never a quote mark
    inner_space_ok = char in "«»"  # French typography puts a space inside guillemets
    can_open = (before.isspace() or before in _LEFT_CONTEXT) and (
        not after.isspace() or (inner_space_ok and after in _INNER_SPACE)
    )
    can_close = (not before.isspace() or (inner_space_ok and before in _INNER_SPACE)) and (
        after.isspace() or after in _RIGHT_CONTEXT
    )
    if char == "’" and can_open and not can_close and _is_letter(after) and after.isdigit():
        return False, False, True  # ’90s
    return can_open, can_close, False


def _paragraph_ends(text):
    ends = [match.start() for match in _PARAGRAPH_BREAK.finditer(text)]
    return ends + [len(text)]


def _trimmed_span(text, start, end):
    while start < end and text[start].isspace():
        start += 1
    content = text[start:end]
    stripped = _TRAILING_COMMA.sub("", content)
    stripped = stripped.rstrip()
    return start, start + len(stripped)


def _is_heading_line(text, start, end):
    """The line holding text[start:end] is a title: a markdown heading, or a short line standing alone."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    line = text[line_start:line_end].strip()
    if line.startswith("#"):
        return True
    before_blank = line_start == 0 or text[:line_start].rstrip(" \t").endswith("\n\n") or line_start < 2
    after_blank = (
        line_end == len(text) or text[line_end:].lstrip(" \t").startswith("\n\n") or not text[line_end:].strip()
    )
    # A title does not end like a sentence; a quotation that is the whole line may end with its own "?".
    outside = line.replace(text[start:end], "")
    ends_like_sentence = bool(re.search(r"[.:;,]$", outside.rstrip(' "”’“»*_')))
    # A scare quote inside a sentence on a line of its own is no headline; a title quoting words,
    # or a line that is one quotation, is.
    is_first_line = not text[:line_start].strip()
    mostly_quoted = len(re.sub(r"[\W_]+", "", outside)) <= len(re.sub(r"[\W_]+", "", line)) * 0.25
    standalone = before_blank and after_blank and len(line) <= 160 and not ends_like_sentence
    return standalone and (mostly_quoted or is_first_line) and bool(text[line_end:].strip())


def find_quotations(text):
    """Every top-level quotation in `text`, in order, with nested ones recorded on their parent."""
    results = []
    paragraph_ends = iter(_paragraph_ends(text))
    paragraph_end = next(paragraph_ends)
    stack = []  # [family, mark position, mark, nested spans]
    pending_continuation = None
    i = 0
    while i < len(text):
        if i >= paragraph_end:
            # A quotation left open at a paragraph's end continues when the next paragraph opens
            # with a quote mark (the convention for quoting several paragraphs); otherwise it was
            # a stray mark and is dropped.
            if stack:
                family, position, mark, nested = stack[0]
                next_text = text[paragraph_end:].lstrip()
                if next_text[:1] in _OPENERS or next_text[:1] == '"':
                    span = _trimmed_span(text, position + 1, paragraph_end)
                    if span[1] > span[0]:
                        pending_continuation = len(results)
                        results.append([span, mark, "", tuple(nested), pending_continuation])
            stack = []
            paragraph_end = next(paragraph_ends, len(text))
            if paragraph_end <= i:
                paragraph_end = len(text)
        char = text[i]
        if char not in _FAMILY:
            i += 1
            continue
        can_open, can_close, apostrophe = _mark_roles(text, i)
        family = _FAMILY[char]
        open_of_family = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == family), None)
        if apostrophe or not (can_open or can_close):
            i += 1
            continue
        if family == SINGLE and open_of_family is None and not stack and char in "’'" and not can_open:
            i += 1  # a closing single mark with nothing open: a plural possessive (countries’)
            continue
        closes = (
            can_close
            and open_of_family is not None
            and (not can_open or char in _CLOSERS or char in _AMBIGUOUS or char in _OPENERS)
        )
        if closes and can_open and char in _OPENERS and open_of_family is not None:
            # “ that could open or close (between two spaces-less contexts): close what is open.
            closes = True
        if closes:
            del stack[open_of_family + 1 :]
            _, position, mark, nested = stack.pop()
            span = _trimmed_span(text, position + 1, i)
            if span[1] > span[0] and any(_is_letter(c) for c in text[span[0] : span[1]]):
                if stack:
                    stack[-1][3].append(span)
                else:
                    group = pending_continuation if pending_continuation is not None else None
                    pending_continuation = None
                    results.append([span, mark, char, tuple(nested), group])
        elif can_open and (char in _OPENERS or char in _AMBIGUOUS or char in _CLOSERS):
            stack.append([family, i, char, []])
        i += 1

    quotations = []
    for (start, end), open_mark, close_mark, nested, group in results:
        quotations.append(
            Quotation(
                start=start,
                end=end,
                text=text[start:end],
                style=open_mark + (close_mark or "…"),
                is_headline=_is_heading_line(text, start, end),
                split_group=group,
                nested=nested,
            )
        )
    return _with_kinds(text, _with_split_groups(text, quotations))


def _wordset(text):
    return frozenset(text.split())


# Words -------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

_IRREGULAR = {
    "say": ["say", "says", "said", "saying"],
    "tell": ["tell", "tells", "told", "telling"],
    "write": ["write", "writes", "wrote", "written", "writing"],
    "speak": ["speak", "speaks", "spoke", "speaking"],
}
_REGULAR = _wordset(
    "add insist warn declare state maintain retort question ask recall claim explain note stress argue affirm "
    "reiterate reply respond conclude announce allege acknowledge admit deny suggest observe remark comment tweet "
    "post urge point caution assert contend charge accuse complain emphasize emphasise underline remark predict "
    "promise vow pledge confirm chant shout cry advise report repeat continue tell"
)


def _regular_forms(verb):
    stem = verb[:-1] if verb.endswith("e") else verb
    if verb.endswith("y") and verb not in {"say"}:
        return [verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"]
    past = verb + "d" if verb.endswith("e") else verb + "ed"
    if verb in {"admit", "commit"}:
        past, stem = verb + "ted", verb + "t"
    third = verb + "es" if verb.endswith(("s", "sh", "ch", "x")) else verb + "s"
    return [verb, third, past, stem + "ing"]


SPEECH_VERBS = {form: base for base, forms in _IRREGULAR.items() for form in forms}
SPEECH_VERBS |= {form: verb for verb in _REGULAR for form in _regular_forms(verb)}
# Words that are speech verbs in other senses too: they count only beside a quotation.
_WEAK_VERBS = {"point", "points", "pointed", "post", "posts", "posted", "report", "reports", "reported",
               "remark", "remarks", "repeat", "repeats", "tell", "cry", "cries", "promise", "promises",
               "continue", "continues", "continued", "continuing", "state", "states", "charge", "charges",
               "question", "questions", "note", "notes", "comment", "comments", "claim", "claims"}  # fmt: skip
_PARTICIPLES = {form for form in SPEECH_VERBS if form.endswith("ing")}
_AUXILIARIES = {
    "had", "has", "have", "was", "were", "is", "would", "will", "also", "later", "then", "again", "once",
    "reportedly", "repeatedly", "publicly", "went", "on", "to", "go", "goes", "going", "further", "previously",
    "recently", "earlier", "simply", "just", "even", "still", "continued", "not", "did", "does",
}  # fmt: skip
PRONOUNS = {"he": "person", "she": "person", "his": "person", "her": "person", "it": "other", "its": "other",
            "they": "group", "their": "group"}  # fmt: skip
_FUNCTION_WORDS = _wordset(
    "a about after against all also although amid among an and any april as asked asking at august before being "
    "between both but by calling commenting curiously december despite dismissing during each earlier every february "
    "for friday from furthermore having he her here his how however i if in in-depth indeed instead into it its "
    "january july june later many march may meanwhile monday more moreover most my nevertheless no nonetheless not "
    "november now october of on one onto or our over read saturday september several she since so some speaking still "
    "sunday that the their then there these they this those though three through thursday to today tuesday two under "
    "until upon we wednesday what when where which while who whom whose why with without yesterday yet you your"
)
_PARTICLES = {"al", "el", "de", "du", "des", "la", "le", "van", "von", "der", "bin", "ibn", "ag", "ould", "ben",
              "of", "y", "da", "dos", "di", "wal", "ul", "wa"}  # fmt: skip
_ORGANISATION_WORDS = _wordset(
    "agency alliance army assembly association bank center centre channel command commission committee company "
    "council daily department embassy federation force forces front government group institute inter international "
    "journal media ministry mission monde movement nations network news newspaper office organisation organization "
    "parliament party point police post press province radio service services state states television times tv union "
    "university weekly world"
)
TITLE_HEADS = _wordset(
    "ambassador analyst captain chair chairman chairperson chairwoman chancellor chief colonel commander coordinator "
    "correspondent deputy director editor emir envoy founder general governor head king leader lecturer mayor "
    "minister official premier president prime professor reporter representative researcher secretary spokesman "
    "spokesperson spokeswoman"
)
_TITLE_SYNONYMS = {
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "chairman": "chairperson",
    "chairwoman": "chairperson", "chair": "chairperson", "chief": "head", "defence": "defense",
    "organisation": "organization", "premier": "prime", "foreign": "foreign", "affairs": "",
    "then": "", "former": "", "ex": "", "current": "", "interim": "", "acting": "", "transitional": "",
}  # fmt: skip
_TITLE_STOPWORDS = {"the", "of", "for", "and", "a", "an", "s", "in", "on", "to", "at", "by", "'s"}


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


# Known speakers -----------------------------------------------------------------------------


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


def _title_tokens(text):
    tokens = []
    for _, _, key in _words(text):
        for part in re.split(r"[-']", key):
            part = _TITLE_SYNONYMS.get(part, part)
            if part and part not in _TITLE_STOPWORDS:
                tokens.append(part)
    return tokens


class _Index:
    """Known names and aliases as folded word sequences, found anywhere in a text."""

    def __init__(self, speakers):
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
            if speaker.kind in _CROWD_KINDS:
                words = {word for name in _name_variants(speaker) for _, _, word in _words(name)}
                self.places[speaker.key] = {w for w in words if w not in _CROWD_GENERIC and not w.isdigit()}
        # "France advised its citizens": a country speaking is its government, or its foreign ministry.
        for country, owner in _country_speakers(speakers).items():
            self.patterns.setdefault(country, {owner})
        self.longest = max((len(key) for key in self.patterns), default=0)
        self.titles = {speaker.key: [set(_title_tokens(title)) for title in speaker.titles] for speaker in speakers}
        self.name_tokens = {
            speaker.key: {word for name in (speaker.name, *speaker.aliases) for word in _title_tokens(name)}
            for speaker in speakers
        }

    def mentions(self, text, start=0, end=None):
        """(start, end, speaker key) for each known name in text[start:end], longest match first."""
        words = _words(text, start, end)
        found = []
        i = 0
        while i < len(words):
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
        tokens = [token for token in _title_tokens(description) if token not in _FUNCTION_WORDS]
        if not any(token in TITLE_HEADS or token in {"spokesperson", "chairperson", "head"} for token in tokens):
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
            heads = [token for token in tokens if token in TITLE_HEADS or len(token) > 3]
            for key, titles in self.titles.items():
                if any(title and set(heads) & title and _core(title) <= set(tokens) for title in titles):
                    candidates.append(key)
        return _pick(candidates, recent)

    def by_description(self, noun, recent):
        """The recently named speaker whose name holds `noun` ("the department", "the ministry")."""
        candidates = [key for key, tokens in self.name_tokens.items() if noun in tokens]
        return _pick(candidates, recent)


_CROWD_KINDS = {"protesters"}
_CROWD_WORDS = _wordset(
    "they their thousands hundreds crowd crowds protesters protestors demonstrators youth youths marchers residents "
    "students women workers"
)
_CROWD_GENERIC = _CROWD_WORDS | _FUNCTION_WORDS | {"in", "at", "of", "protest", "demonstration", "march", "rally"}

_COUNTRIES = {
    "mali": "malian", "niger": "nigerien", "burkina faso": "burkinabe", "chad": "chadian", "mauritania": "mauritanian",
    "senegal": "senegalese", "guinea": "guinean", "nigeria": "nigerian", "algeria": "algerian", "libya": "libyan",
    "morocco": "moroccan", "egypt": "egyptian", "sudan": "sudanese", "cameroon": "cameroonian", "ghana": "ghanaian",
    "togo": "togolese", "benin": "beninese", "ivory coast": "ivorian", "france": "french", "germany": "german",
    "italy": "italian", "spain": "spanish", "belgium": "belgian", "britain": "british", "uk": "british",
    "united kingdom": "british", "united states": "american", "us": "american", "usa": "american",
    "america": "american", "washington": "american", "paris": "french", "russia": "russian",
    "china": "chinese", "turkey": "turkish", "iran": "iranian", "ukraine": "ukrainian", "australia": "australian",
    "canada": "canadian", "japan": "japanese", "india": "indian", "sweden": "swedish", "norway": "norwegian",
    "denmark": "danish", "netherlands": "dutch", "switzerland": "swiss", "portugal": "portuguese",
    "qatar": "qatari", "israel": "israeli",
}  # fmt: skip


# Capitalised words that are never a speaker's name on their own: nationalities, crowds.
_NOT_NAMES = set(_COUNTRIES.values()) | _CROWD_WORDS


def _name_variants(speaker):
    """Name and aliases, with "Islamic State (IS)" also read as "Islamic State" and "IS"."""
    for name in (speaker.name, *speaker.aliases):
        yield name
        match = re.match(r"^(.*?)\s*\(([^()]+)\)\s*(.*)$", name)
        if match:
            yield (match.group(1) + " " + match.group(3)).strip()
            yield match.group(2).strip()


def _country_speakers(speakers):
    """Country name → the one government (else foreign ministry) among known speakers that is its voice."""
    result = {}
    for demonym in set(_COUNTRIES.values()):
        countries = [country for country, adjective in _COUNTRIES.items() if adjective == demonym]
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


def _core(title_tokens):
    """The words a description must repeat to name a title: its head words ("foreign minister")."""
    return {token for token in title_tokens if token in TITLE_HEADS or token in {"foreign", "defense", "prime"}}


def _pick(candidates, recent):
    candidates = list(dict.fromkeys(candidates))
    if len(candidates) == 1:
        return candidates[0]
    for key in recent:
        if key in candidates:
            return key
    return None


# Attribution -------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?][\"”’»*_)\]]*(?=\s)|\n")
_MASK = "\x00"
# A verb that introduces the quotation right after it: "chanting «", "said that “", "shouting slogans such as "".
_INTRODUCES = re.compile(r"^[^\w,.;]*(?:\w+[^\w,.;]+){0,3}$")
_CLAUSE_BREAK = re.compile(r";|,\s+(?:while|whereas|but|although|though)\b")
_NAME_PREFIXES = {"foreign", "defense", "defence", "interior", "then", "col", "gen", "lt", "dr", "mr", "mrs", "ms",
                  "sgt", "maj", "capt", "former", "sheikh", "imam"}  # fmt: skip
_DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your",
                "some", "any", "no", "such"}  # fmt: skip
_JOINERS = {"and", "that", "which", "while", "because", "but", "where", "when", "who", "whom", "as", "if", "since",
            "although", "though", "whereas", "after", "before", "until", "so", "or"}  # fmt: skip
_NOUNS_ENDING_LIKE_VERBS = {"red", "bed", "united", "building", "meeting", "king", "spring", "wing", "ring", "thing",
                            "briefing", "hearing", "ruling", "following", "landing", "shed", "hundred"}  # fmt: skip


def _masked(text, quotations):
    """The text with every quotation blanked out, so the words inside never pass for cues."""
    chars = list(text)
    for quotation in quotations:
        last = text[quotation.end - 1]
        for k in range(quotation.start, quotation.end):
            chars[k] = _MASK
        if last in ".!?":
            chars[quotation.end - 1] = last
    return "".join(chars)


def _sentence_start(masked, position):
    start = 0
    for match in _SENTENCE_END.finditer(masked, 0, position):
        start = match.end()
    return start


def _sentence_end(masked, position):
    match = _SENTENCE_END.search(masked, position)
    return match.start() if match else len(masked)


class _Attributor:
    def __init__(self, text, quotations, known_speakers):
        self.text = text
        self.quotations = quotations
        self.index = _Index(known_speakers)
        self.masked = _masked(text, quotations)
        self.known_mentions = self.index.mentions(self.masked)
        self.new_mentions = []  # (position, name, kind) of new speakers proposed so far
        self.current_quote = 0

    # Resolution of a noun phrase ------------------------------------------------------------

    def recent(self, position, kind=None):
        """Known speakers named before `position`, most recent first, optionally of one kind."""
        keys = []
        for start, _, key in reversed(self.known_mentions):
            if start < position and (kind is None or self._kind_matches(key, kind)) and key not in keys:
                keys.append(key)
        return keys

    def _kind_matches(self, key, kind):
        person = self.index.speakers[key].is_person
        return person if kind == "person" else not person

    def resolve_pronoun(self, pronoun, position):
        kind = PRONOUNS[pronoun]
        best = None
        for start, _, key in self.known_mentions:
            if start < position and self._kind_matches(key, kind):
                best = (start, key, None, None)
        for start, name, new_kind in self.new_mentions:
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
        for _, earlier, earlier_kind in reversed(self.new_mentions):
            earlier_words = [word for _, _, word in _words(earlier)]
            if earlier_kind == "person" and (folded == earlier_words[-1:] or earlier_words == folded[-1:]):
                name, kind = max(name, earlier, key=len), "person"
                break
        self.new_mentions.append((position, name, kind))
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
        next_quote = next((q.start for q in self.quotations[index + 1 :] if q.start >= end), len(self.text))
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
        same_sentence = [
            (abs(other.start - quotation.start), cued[k])
            for k, other in enumerate(self.quotations)
            if k != index and cued[k] is not None and clause_start <= other.start < clause_end
        ]
        if same_sentence:
            _, sibling = min(same_sentence, key=lambda pair: pair[0])
            return _inherit(sibling, sibling.confidence - 0.1, "same sentence as: " + sibling.cue)
        first_words = _words(self.masked, sentence_start, quotation.start)[:1]
        if first_words and first_words[0][2] in {"he", "she", "they", "it"}:
            proposal = self.resolve(first_words[0][0], first_words[0][1], "sentence subject", 0.55)
            if proposal:
                return proposal
        named = [m for m in self.known_mentions if clause_start <= m[0] < clause_end]
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


def _comma_pieces(segment, offset):
    pieces, start = [], 0
    for match in re.finditer(r",|\(|\)|\s[-–—]\s|:", segment):
        pieces.append((offset + start, offset + match.start()))
        start = match.end()
    pieces.append((offset + start, offset + len(segment)))
    return pieces


def _excerpt(masked, start, end, limit=120):
    words = masked[start:end].replace(_MASK, "").strip(" ,:\n")
    words = re.sub(r"\s+", " ", words)
    return words if len(words) <= limit else words[: limit - 1] + "…"


def propose_speakers(text, quotations, known_speakers=()):
    """One Proposal per quotation, in order: from its cue, else its sentence, else its neighbour."""
    attributor = _Attributor(text, quotations, list(known_speakers))
    proposals = [attributor.attribute(index) for index in range(len(quotations))]
    # Pieces of one statement cut by an attribution share the speaker the attribution names.
    for group in {q.split_group for q in quotations if q.split_group is not None}:
        members = [i for i, q in enumerate(quotations) if q.split_group == group]
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


# Grouping and kinds -------------------------------------------------------------------------

_CONNECTIVE = re.compile(r"^[\s,;:—–-]*(?:and|but|or|while|then)?[\s,;:—–-]*$", re.IGNORECASE)


def _with_split_groups(text, quotations):
    """Join quotations of one sentence cut by an attribution or a bare connective ("…,” he said, “…”)."""
    masked = _masked(text, quotations)
    groups = [q.split_group for q in quotations]
    next_group = max((g for g in groups if g is not None), default=-1) + 1
    for i in range(1, len(quotations)):
        before, after = quotations[i - 1], quotations[i]
        gap = masked[before.end : after.start]
        inner = gap.strip(" \"”’“‘«»'*_")
        if "\n" in gap or _SENTENCE_END.search(gap) or len(inner) > 80:
            continue
        if text[before.end - 1 : before.end] in ".!?":
            continue
        words = [w for _, _, w in _words(inner)]
        splits = _CONNECTIVE.match(inner) or (len(words) <= 6 and any(w in SPEECH_VERBS for w in words))
        if splits:
            if groups[i - 1] is None:
                groups[i - 1] = next_group
                next_group += 1
            groups[i] = groups[i - 1]
    return [_replace(q, split_group=g) for q, g in zip(quotations, groups, strict=True)]


_KIND_CUES = [
    ("slogan", re.compile(r"\b(slogans?|chant(?:s|ed|ing)?|shout(?:s|ed|ing)?|banners?|placards?)\b", re.I)),
    ("communique", re.compile(r"\b(communiqu[ée]s?|press releases?|statements?)\b", re.I)),
    ("headline", re.compile(r"\b(headlines?|headlined|front pages?)\b", re.I)),
]


def _with_kinds(text, quotations):
    masked = _masked(text, quotations)
    result = []
    for quotation in quotations:
        kind = "headline" if quotation.is_headline else "direct"
        if not quotation.is_headline:
            sentence = masked[_sentence_start(masked, quotation.start) : _sentence_end(masked, quotation.end)]
            for candidate, pattern in _KIND_CUES:
                if pattern.search(sentence):
                    kind = candidate
                    break
        result.append(_replace(quotation, kind=kind))
    return result


def _replace(quotation, **changes):
    values = {name: getattr(quotation, name) for name in Quotation.__dataclass_fields__}
    values.update(changes)
    return Quotation(**values)


@dataclass
class Extraction:
    """A quotation with the speaker proposed for it."""

    quotation: Quotation
    proposal: Proposal
    extra: dict = field(default_factory=dict)


def extract(text, known_speakers=()):
    """find_quotations then propose_speakers: the importer's one call."""
    quotations = find_quotations(text)
    proposals = propose_speakers(text, quotations, known_speakers)
    return [Extraction(quotation, proposal) for quotation, proposal in zip(quotations, proposals, strict=True)]
