"""Finding the quotations in an article and proposing who said each one.

Two plain steps, no Django: `find_quotations(text)` returns the spans between quote marks (every
style, mismatched pairs, nested quotes, headlines, quotations split by an attribution);
`propose_speakers(text, quotations, known_speakers)` reads the words around each span for the cue
that names its speaker ("X said", "said X", "according to X", "X, a lecturer at …, told RFI:",
"he added", "the foreign minister"). The rules are about English reporting style, not about any
one article: an article they have never seen is the case they are written for.

Offsets are Python string indices into the text as given, like the anchors of a Quote.

Where each rule lives:
- quote_marks.py — which characters open and close a quotation (apostrophes, guillemets' spaces);
- layout.py — paragraphs and headline lines;
- quotations.py — find_quotations: spans joined where an attribution cuts a statement, and their kind;
- sentences.py — sentence and clause boundaries, quotations masked out;
- words.py — words as folded keys with offsets;
- speakers.py — known speakers (names, aliases, role titles) and the Proposal a rule returns;
- attribution.py — the cue beside each quotation and the speaker it names;
- languages/ — one module per language: verbs of saying, pronouns, titles, function words.
"""

from dataclasses import dataclass, field

from .attribution import propose_speakers
from .languages import detect_language
from .quotations import find_quotations
from .quote_marks import Quotation
from .speakers import KnownSpeaker, Proposal

__all__ = [
    "Extraction",
    "KnownSpeaker",
    "Proposal",
    "Quotation",
    "detect_language",
    "extract",
    "find_quotations",
    "propose_speakers",
]


@dataclass
class Extraction:
    """A quotation with the speaker proposed for it."""

    quotation: Quotation
    proposal: Proposal
    extra: dict = field(default_factory=dict)


def extract(text, known_speakers=(), language=None, progress=None):
    """find_quotations then propose_speakers with the rules of the text's language (guessed when not given).

    `progress(done, total)` is called as quotations are attributed.
    """
    language = language or detect_language(text)
    quotations = find_quotations(text, language)
    proposals = propose_speakers(text, quotations, known_speakers, language, progress)
    return [Extraction(quotation, proposal) for quotation, proposal in zip(quotations, proposals, strict=True)]
