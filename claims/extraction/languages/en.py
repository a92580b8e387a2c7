"""English reporting style: verbs of saying, pronouns, titles, function words, countries."""

import re

from ..words import _wordset

LANGUAGE = "en"

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
    "promise vow pledge confirm chant shout cry advise report repeat continue tell recommend deplore denounce hail "
    "lament estimate describe call demand"
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
WEAK_VERBS = {"point", "points", "pointed", "post", "posts", "posted", "report", "reports", "reported",
               "remark", "remarks", "repeat", "repeats", "tell", "cry", "cries", "promise", "promises",
               "continue", "continues", "continued", "continuing", "state", "states", "charge", "charges",
               "question", "questions", "note", "notes", "comment", "comments", "claim", "claims",
               "call", "calls", "called", "calling", "describe", "describes", "described", "describing",
               "demand", "demands", "demanded", "demanding", "estimate", "estimates", "estimated",
               "hail", "hails", "hailed"}  # fmt: skip
PARTICIPLES = {form for form in SPEECH_VERBS if form.endswith("ing")}
AUXILIARIES = {
    "had", "has", "have", "was", "were", "is", "would", "will", "also", "later", "then", "again", "once",
    "reportedly", "repeatedly", "publicly", "went", "on", "to", "go", "goes", "going", "further", "previously",
    "recently", "earlier", "simply", "just", "even", "still", "continued", "not", "did", "does",
}  # fmt: skip
PRONOUNS = {"he": "person", "she": "person", "his": "person", "her": "person", "it": "other", "its": "other",
            "they": "group", "their": "group"}  # fmt: skip
FUNCTION_WORDS = _wordset(
    "a about after against all also although amid among an and any april as asked asking at august before being "
    "between both but by calling commenting curiously december despite dismissing during each earlier every february "
    "for friday from furthermore having he her here his how however i if in in-depth indeed instead into it its "
    "january july june later many march may meanwhile monday more moreover most my nevertheless no nonetheless not "
    "november now october of on one onto or our over read saturday september several she since so some speaking still "
    "sunday that the their then there these they this those though three through thursday to today tuesday two under "
    "until upon we wednesday what when where which while who whom whose why with without yesterday yet you your"
)
PARTICLES = {"al", "el", "de", "du", "des", "la", "le", "van", "von", "der", "bin", "ibn", "ag", "ould", "ben",
              "of", "y", "da", "dos", "di", "wal", "ul", "wa"}  # fmt: skip
ORGANISATION_WORDS = _wordset(
    "agency alliance army assembly directorate project programme program association bank center centre channel "
    "command commission committee company "
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
TITLE_SYNONYMS = {
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "chairman": "chairperson",
    "chairwoman": "chairperson", "chair": "chairperson", "chief": "head", "defence": "defense",
    # A role is named loosely: "the director of the XYZ" is its "Head of the XYZ".
    "director": "head", "leader": "head",
    "organisation": "organization", "premier": "prime", "foreign": "foreign", "affairs": "",
    "then": "", "former": "", "ex": "", "current": "", "interim": "", "acting": "", "transitional": "",
}  # fmt: skip
TITLE_STOPWORDS = {"the", "of", "for", "and", "a", "an", "s", "in", "on", "to", "at", "by", "'s"}

CROWD_KINDS = {"protesters"}
CROWD_WORDS = _wordset(
    "they their thousands hundreds crowd crowds protesters protestors demonstrators youth youths marchers residents "
    "students women workers"
)
CROWD_GENERIC = CROWD_WORDS | FUNCTION_WORDS | {"in", "at", "of", "protest", "demonstration", "march", "rally"}

COUNTRIES = {
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
NOT_NAMES = set(COUNTRIES.values()) | CROWD_WORDS

# A verb that introduces the quotation right after it: "chanting «", "said that “", "shouting slogans such as "".
INTRODUCES = re.compile(r"^[^\w,.;]*(?:\w+[^\w,.;]+){0,3}$")
CLAUSE_BREAK = re.compile(r";|,\s+(?:while|whereas|but|although|though)\b")
NAME_PREFIXES = {"foreign", "defense", "defence", "interior", "then", "col", "gen", "lt", "dr", "mr", "mrs", "ms",
                  "sgt", "maj", "capt", "former", "sheikh", "imam"}  # fmt: skip
DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your",
                "some", "any", "no", "such"}  # fmt: skip
JOINERS = {"and", "that", "which", "while", "because", "but", "where", "when", "who", "whom", "as", "if", "since",
            "although", "though", "whereas", "after", "before", "until", "so", "or"}  # fmt: skip
NOUNS_ENDING_LIKE_VERBS = {"red", "bed", "united", "building", "meeting", "king", "spring", "wing", "ring", "thing",
                            "briefing", "hearing", "ruling", "following", "landing", "shed", "hundred"}  # fmt: skip

CONNECTIVE = re.compile(r"^[\s,;:—–-]*(?:and|but|or|while|then)?[\s,;:—–-]*$", re.IGNORECASE)

# "according to X": the words that introduce the speaker after them.
ACCORDING = {("according", "to")}
# Endings of verb forms, which end a subject noun phrase read backwards ("the troops killed …").
VERB_ENDINGS = ("ed", "ing")
PARTICIPLE_ENDING = "ing"
# A verb whose subject is the reporter ("I quote") never names the speaker.
FIRST_PERSON = {"i", "we"}
# Where a subject written after its verb stops: "said Diop in Bamako".
SUBJECT_STOPS = re.compile(r"\s(?:in|on|at|during|after|before|to)\s")
# A piece of an attribution that is a circumstance, not a subject: "said, for her part, the minister".
ADVERBIAL = {"for", "in", "on", "at", "during", "meanwhile", "however", "also", "later", "earlier", "speaking"}
# A document that speaks for whoever issued it ("the same statement continued").
DOCUMENT_NOUNS = {"statement", "communique", "release", "message", "note", "text", "report", "letter", "post"}
# What an army is called without its name; a country or its adjective beside it says whose.
ARMY_WORDS = {"army", "military", "armed", "staff", "troops", "fama"}
# A quotation after these is a name (a nickname, a call sign), not something anyone said.
NICKNAME_CUES = re.compile(r"\b(?:nicknamed|dubbed|so-called|known as|call sign|alias|nickname)\W*$", re.I)
# "His last message: “…”": the words belong to the possessor.
MESSAGE_NOUNS = {"message", "messages", "words", "statement", "reply", "answer", "post", "tweet", "letter"}
POSSESSIVES = {"his": "person", "her": "person", "its": "other", "their": "group"}
SUBJECT_PRONOUNS = {"he", "she", "it", "they"}
# Inverted subject pronouns ("a-t-il ajouté") do not occur in English.
INVERTED_PRONOUN = None
# Reading words out is saying them: "read a statement on national TV".
READS = re.compile(
    r"\bread(?: out)? (?:a|an|the|his|her|its) (?:\w+ ){0,2}?(?:statement|message|communiqu[ée]|declaration|speech)\b"
)
# Verbs whose object is the listener: "told France Inter" names who heard it, not who spoke.
TAKES_LISTENER = {"tell", "tells", "told", "telling", "ask", "asks", "asked", "asking", "urge", "urges", "urged"}
