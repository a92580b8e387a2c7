"""Score claims.extraction against the curated seed fixtures (fixtures/seed.json).

    .venv/bin/python bench/extraction.py [--fixture fixtures/seed.json] [--verbose] [--json]

The extractor gets each archived source's text and the fixture's speakers (names, aliases, role
titles) as it would in production; its output is compared with the curated quotes:

- recall: share of curated quotations whose span an extracted span covers substantially
  (overlap ≥ half of the longer of the two);
- precision: share of extracted spans that match a curated quote;
- speaker accuracy: among matched quotations, share whose proposed speaker is the curated one.

"Quotations" are the curated quotes of kind direct, headline, slogan or communiqué, *except those in
the publication's own voice* (speaker = the source's publisher: its title, its own sentences that a
curator recorded as the outlet's statements). Those carry no quote marks, so no quotation
extractor can find them; the figures with them included are printed too.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.extraction import KnownSpeaker, extract  # noqa: E402
from claims.text import fold  # noqa: E402

QUOTATION_KINDS = {"direct", "headline", "slogan", "communique"}


def _key(value, by_pk=None):
    """A natural key (["slug"]) or a primary key looked up in `by_pk`."""
    if isinstance(value, list):
        return value[0]
    return (by_pk or {}).get(value, value)


def load(path):
    rows = json.loads(Path(path).read_text(encoding="utf-8"))
    by_model = {}
    for row in rows:
        by_model.setdefault(row["model"], []).append(row)
    speakers = {}
    for row in by_model.get("claims.speaker", []):
        fields = row["fields"]
        speakers[fields["slug"]] = {"name": fields["name"], "kind": fields["kind"], "aliases": [], "titles": []}
    pk_to_slug = {row.get("pk"): row["fields"]["slug"] for row in by_model.get("claims.speaker", []) if "pk" in row}
    for row in by_model.get("claims.speakeralias", []):
        slug = _key(row["fields"]["speaker"], pk_to_slug)
        speakers[slug]["aliases"].append(row["fields"]["name"])
    for row in by_model.get("claims.role", []):
        slug = _key(row["fields"]["speaker"], pk_to_slug)
        title = row["fields"]["title"]
        organisation = row["fields"].get("organisation")
        speakers[slug]["titles"].append(f"{title}, {organisation}" if organisation else title)
    source_pks = {row.get("pk"): row["fields"]["slug"] for row in by_model.get("claims.source", []) if "pk" in row}
    sources = {row["fields"]["slug"]: row["fields"] for row in by_model.get("claims.source", [])}
    quotes = []
    for row in by_model.get("claims.quote", []):
        fields = dict(row["fields"])
        fields["source"] = _key(fields["source"], source_pks)
        fields["speaker"] = _key(fields["speaker"], pk_to_slug)
        quotes.append(fields)
    return speakers, sources, quotes


def known_speakers(speakers):
    return [
        KnownSpeaker(
            key=slug,
            name=data["name"],
            kind="person" if data["kind"] == "person" else data["kind"],
            aliases=tuple(data["aliases"]),
            titles=tuple(data["titles"]),
        )
        for slug, data in speakers.items()
    ]


def overlaps(a_start, a_end, b_start, b_end):
    shared = min(a_end, b_end) - max(a_start, b_start)
    return shared > 0 and shared >= 0.5 * max(a_end - a_start, b_end - b_start)


def score(speakers, sources, quotes, own_voice=False, verbose=False):
    known = known_speakers(speakers)
    totals = {"gold": 0, "found": 0, "extracted": 0, "precise": 0, "matched": 0, "right_speaker": 0}
    misses = []
    for slug, source in sources.items():
        text = source.get("text") or ""
        if not text:
            continue
        publisher = fold(source.get("publisher") or "")
        gold = [
            quote
            for quote in quotes
            if quote["source"] == slug
            and quote.get("kind", "direct") in QUOTATION_KINDS
            and quote.get("start") is not None
            and (own_voice or fold(speakers[quote["speaker"]]["name"]) != publisher)
        ]
        extracted = extract(text, known)
        totals["gold"] += len(gold)
        totals["extracted"] += len(extracted)
        for item in extracted:
            q = item.quotation
            if any(overlaps(q.start, q.end, g["start"], g["end"]) for g in gold):
                totals["precise"] += 1
            elif verbose:
                misses.append(f"  extra  {slug} {q.start}-{q.end} “{q.text[:70]}”")
        for quote in gold:
            match = next(
                (i for i in extracted if overlaps(i.quotation.start, i.quotation.end, quote["start"], quote["end"])),
                None,
            )
            if match is None:
                misses.append(f"  missed {slug} {quote['start']}-{quote['end']} “{quote['text'][:70]}”")
                continue
            totals["found"] += 1
            totals["matched"] += 1
            proposal = match.proposal
            proposed = proposal.speaker_key or (f"NEW:{proposal.new_name}" if proposal.new_name else "-")
            if proposed == quote["speaker"]:
                totals["right_speaker"] += 1
            else:
                misses.append(
                    f"  wrong  {slug} {quote['start']}-{quote['end']} “{quote['text'][:50]}”: "
                    f"{proposed} instead of {quote['speaker']} ({match.proposal.cue[:80]})"
                )
    figures = {
        "quotations": totals["gold"],
        "extracted": totals["extracted"],
        "recall": totals["found"] / totals["gold"] if totals["gold"] else 0.0,
        "precision": totals["precise"] / totals["extracted"] if totals["extracted"] else 0.0,
        "speaker_accuracy": totals["right_speaker"] / totals["matched"] if totals["matched"] else 0.0,
    }
    return figures, misses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixture", default=str(ROOT / "fixtures" / "seed.json"))
    parser.add_argument("--verbose", action="store_true", help="List misses, extra spans and wrong speakers.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    speakers, sources, quotes = load(args.fixture)
    results = {}
    for label, own_voice in (("quotations", False), ("including the publication's own voice", True)):
        figures, misses = score(speakers, sources, quotes, own_voice=own_voice, verbose=args.verbose)
        results[label] = figures
        if not args.json:
            print(
                f"{label}: {figures['quotations']} curated, {figures['extracted']} extracted — "
                f"recall {figures['recall']:.1%}, precision {figures['precision']:.1%}, "
                f"speaker accuracy {figures['speaker_accuracy']:.1%}"
            )
            if args.verbose and not own_voice:
                print("\n".join(misses))
    if args.json:
        print(json.dumps(results, indent=2))
    main_figures = results["quotations"]
    return 0 if main_figures["recall"] >= 0.95 and main_figures["speaker_accuracy"] >= 0.85 else 1


if __name__ == "__main__":
    sys.exit(main())
