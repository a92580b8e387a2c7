"""French reporting style: « guillemets », "a déclaré X", "selon X", "a-t-il ajouté", il/elle.

Words are compared folded (lower case, accents removed: "déclaré" is "declare"). Vocabulary the
two languages share (names' particles, title words matched against English role titles) comes
from the English rules.
"""

import re

from ..words import _wordset
from . import en

LANGUAGE = "fr"


def _first_group(stem):
    """déclarer → déclare, déclarent, déclaré, déclarant, déclarait, déclarer (folded)."""
    return [stem + "e", stem + "ent", stem + "es", stem + "ant", stem + "ait", stem + "aient", stem + "er"]


_FIRST_GROUP = _wordset(
    "declar affirm indiqu ajout estim soulign denonc assur rassur inform precis annonc confirm insist expliqu "
    "martel deplor salu regrett fustig accus raconte temoign confi lach comment not observ relev recommand "
    "exhort plaid juge considere pens avanc alert signal mentionn interrog inquiet tweet communiqu rappel "
    "appel demand cit evoqu lanc reclam proclam jur certifi concede"
)
_IRREGULAR = {
    "dire": ["dit", "disent", "disait", "disant", "dire"],
    "poursuivre": ["poursuit", "poursuivent", "poursuivi", "poursuivant", "poursuivait"],
    "promettre": ["promet", "promettent", "promis", "promettant", "promettait"],
    "ecrire": ["ecrit", "ecrivent", "ecrivant", "ecrivait"],
    "avertir": ["avertit", "averti", "avertissant", "avertissent"],
    "prevenir": ["previent", "prevenu", "prevenant"],
    "repondre": ["repond", "repondu", "repondant", "repondent"],
    "reagir": ["reagit", "reagi", "reagissant"],
    "dementir": ["dement", "dementi", "dementant"],
    "reconnaitre": ["reconnait", "reconnu", "reconnaissant"],
    "admettre": ["admet", "admis", "admettant"],
    "conclure": ["conclut", "conclu", "concluant"],
    "soutenir": ["soutient", "soutenu", "soutenant"],
    "rappeler": ["rappelle", "rappellent"],
    "appeler": ["appelle", "appellent"],
    "interpeller": ["interpelle", "interpelle"],
}
SPEECH_VERBS = {form: stem + "er" for stem in _FIRST_GROUP for form in _first_group(stem)}
SPEECH_VERBS |= {form: base for base, forms in _IRREGULAR.items() for form in forms}
# Verbs of saying in other senses too ("appeler la population au calme", "cite"): only beside a quotation.
WEAK_VERBS = {form for form, base in SPEECH_VERBS.items() if base in {"appeler", "demander", "citer", "evoquer",
              "lancer", "noter", "observer", "relever", "considerer", "penser", "juger", "communiquer"}}  # fmt: skip
PARTICIPLES = {form for form in SPEECH_VERBS if form.endswith("ant")}
AUXILIARIES = _wordset(
    "a ont avait avaient aurait auraient va vont est sont ete aussi encore egalement ensuite alors deja pas ne n' "
    "plus tard toujours notamment meme lui bien t"
)
# Grammatical gender, not sex: "elle" is as often l'armée as a woman. The last one introduced wins.
PRONOUNS = {"il": "any", "elle": "any", "ils": "group", "elles": "group", "son": "any", "sa": "any",
            "ses": "any", "leur": "group", "leurs": "group"}  # fmt: skip
FUNCTION_WORDS = _wordset(
    "le la les l' un une des du de d' et ou mais donc or ni car que qu' qui quoi dont ou ce cet cette ces son sa "
    "ses leur leurs notre nos votre vos mon ma mes il elle ils elles on nous vous je tu y en a au aux dans par pour "
    "sur sous avec sans entre vers chez depuis pendant avant apres lors selon contre comme si ne n' pas plus tres "
    "aussi tout tous toute toutes autre autres meme deja encore ainsi alors puis ensuite cependant pourtant "
    "toutefois lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin juillet aout "
    "septembre octobre novembre decembre aujourd'hui hier demain suite malgre quelques plusieurs c' s' j' m' t' "
    "dans lorsque quand joint interroge"
) | en.FUNCTION_WORDS - {"a"}
PARTICLES = en.PARTICLES | {"l'", "d'"}
ORGANISATION_WORDS = en.ORGANISATION_WORDS | _wordset(
    "armee ministere gouvernement etat major forces mission conseil commission comite agence groupe parti union "
    "nations organisation assemblee presidence police gendarmerie radio television journal communaute coalition "
    "front mouvement ambassade onu"
)
TITLE_HEADS = en.TITLE_HEADS | _wordset(
    "ministre president presidente chef directeur directrice porte colonel general capitaine commandant lieutenant "
    "chercheur chercheuse specialiste analyste professeur secretaire ambassadeur ambassadrice gouverneur maire emir "
    "responsable representant representante envoye dirigeant dirigeante premier roi"
)
# French title words read as the English ones of a role title ("ministre des Affaires étrangères").
TITLE_SYNONYMS = en.TITLE_SYNONYMS | {
    "ministre": "minister", "president": "president", "presidente": "president", "chef": "head",
    "directeur": "head", "directrice": "head", "porte": "spokesperson", "parole": "", "defense": "defense",
    "affaires": "", "etrangeres": "foreign", "exterieures": "foreign", "premier": "prime", "secretaire": "secretary",
    "chercheur": "researcher", "chercheuse": "researcher", "ambassadeur": "ambassador", "gouverneur": "governor",
    "porte-parole": "spokesperson", "ministere": "ministry", "armee": "army",
}  # fmt: skip
TITLE_STOPWORDS = en.TITLE_STOPWORDS | {"le", "la", "les", "l'", "de", "des", "du", "d'", "et", "pour", "en", "au"}

CROWD_KINDS = en.CROWD_KINDS
CROWD_WORDS = en.CROWD_WORDS | _wordset("ils elles manifestants manifestantes foule habitants jeunes femmes etudiants")
CROWD_GENERIC = CROWD_WORDS | FUNCTION_WORDS | {"manifestation", "marche", "rassemblement"}

# Country names in French, read as the English adjective that the record's names use.
COUNTRIES = en.COUNTRIES | {
    "algerie": "algerian", "tchad": "chadian", "mauritanie": "mauritanian", "guinee": "guinean",
    "libye": "libyan", "maroc": "moroccan", "egypte": "egyptian", "soudan": "sudanese", "cameroun": "cameroonian",
    "cote d'ivoire": "ivorian", "allemagne": "german", "italie": "italian", "espagne": "spanish",
    "belgique": "belgian", "royaume uni": "british", "etats unis": "american", "russie": "russian",
    "chine": "chinese", "turquie": "turkish", "ukraine": "ukrainian", "bamako": "malian", "niamey": "nigerien",
    "ouagadougou": "burkinabe", "alger": "algerian", "moscou": "russian",
}  # fmt: skip
# Adjectives of nationality in French (all genders and numbers), read as the English adjective.
DEMONYMS = {
    form: english
    for stem, english in {
        "malien": "malian", "nigerien": "nigerien", "algerien": "algerian", "tchadien": "chadian",
        "mauritanien": "mauritanian", "guineen": "guinean", "libyen": "libyan", "egyptien": "egyptian",
        "ivoirien": "ivorian", "italien": "italian", "ukrainien": "ukrainian", "americain": "american",
        "marocain": "moroccan", "africain": "african", "senegalais": "senegalese", "francais": "french",
        "soudanais": "sudanese", "russe": "russian", "burkinabe": "burkinabe", "allemand": "german",
        "chinois": "chinese", "turc": "turkish",
    }.items()
    for form in (stem, stem + "e", stem + "s", stem + "es", stem + "ne", stem + "nes")
}  # fmt: skip
NOT_NAMES = en.NOT_NAMES | set(DEMONYMS) | CROWD_WORDS

INTRODUCES = en.INTRODUCES
CLAUSE_BREAK = re.compile(r";|,\s+(?:tandis que|alors que|mais|bien que|quoique)\b")
NAME_PREFIXES = en.NAME_PREFIXES | _wordset(
    "colonel general capitaine commandant lieutenant m mme mlle president presidente ministre dr pr"
)
DETERMINERS = _wordset(
    "le la les l' un une des du de d' ce cet cette ces son sa ses leur leurs notre nos votre vos mon ma mes au aux "
    "quelques plusieurs"
)
JOINERS = _wordset("et que qu' qui dont ou mais car lorsque quand si comme puisque tandis alors parce apres avant")
NOUNS_ENDING_LIKE_VERBS = _wordset("enfant gouvernement commandant representant president")
CONNECTIVE = re.compile(r"^[\s,;:—–-]*(?:et|mais|ou|puis|alors)?[\s,;:—–-]*$", re.IGNORECASE)

ACCORDING = {("selon",), ("d'", "apres"), ("aux", "yeux", "de"), ("pour",)}
VERB_ENDINGS = ("ant",)
PARTICIPLE_ENDING = "ant"
FIRST_PERSON = {"je", "j'", "nous"}
SUBJECT_STOPS = re.compile(r"\s(?:dans|sur|lors|devant|depuis|pendant|en|à|au|aux|avant|après|par|selon)\s")
ADVERBIAL = _wordset("de pour quant dans en a au lors selon par ensuite enfin aussi egalement cependant toutefois")
DOCUMENT_NOUNS = _wordset("communique declaration texte message note rapport lettre publication")
ARMY_WORDS = _wordset("armee etat major fama militaires forces armees")
NICKNAME_CUES = re.compile(r"\b(?:surnom|surnommée?|dit|alias|baptisée?|connue? sous le nom de|indicatif)\W*$", re.I)
MESSAGE_NOUNS = _wordset("message messages mots propos declaration reponse")
POSSESSIVES = {"son": "any", "sa": "any", "ses": "any", "leur": "group", "leurs": "group"}
SUBJECT_PRONOUNS = {"il", "elle", "ils", "elles"}
# "« … », a-t-il ajouté", "poursuit-elle": the subject is the pronoun joined to the verb.
INVERTED_PRONOUN = re.compile(r"-(?:t-)?(il|elle|ils|elles)\b", re.I)
READS = re.compile(r"\blu (?:un|une|le|la|son|sa) (?:\w+ ){0,2}?(?:message|communiqu[ée]|déclaration|discours|texte)\b")
TAKES_LISTENER = {"demande", "demandent", "appelle", "appellent", "exhorte"}
