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
import csv
import json
import re
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


# The development set ------------------------------------------------------------------------
#
# ../shared/extraction-dev/: real articles (English and French) with hand-made answer keys. The
# extractor knows the seed record's speakers (as it would in production) and nothing of the keys.

# ../shared beside the main checkout; a worktree sits one level deeper, so look up the tree.
DEV_DIR = next(
    (p / "shared" / "extraction-dev" for p in ROOT.parents if (p / "shared" / "extraction-dev").is_dir()),
    ROOT.parent / "shared" / "extraction-dev",
)
NO_SPEAKER = "NONE (scare quote)"
# Other spellings the texts use for a key's speaker (from the keys' notes column): a proposal naming
# the speaker under one of these, in full, is right. Never a bare surname.
DEV_SPELLINGS = {
    "Abdourahamane Tiani": ["Abdourahamane Tchiani"],
    "Algerian Ministry of National Defence": ["ministère algérien de la Défense", "Algerian defence ministry"],
}


def _paren_parts(name):
    """ "Malian Armed Forces (FAMa)" → the whole, "Malian Armed Forces" and "FAMa"."""
    match = re.match(r"^(.*?)\s*\(([^()]+)\)\s*$", name)
    return [name, match.group(1), match.group(2)] if match else [name]


def accepted_names(key_speaker, speakers):
    """Folded names under which a proposal names the key's speaker in full."""
    names = set()
    for form in _paren_parts(key_speaker) + DEV_SPELLINGS.get(key_speaker, []):
        names.add(fold(form))
    for data in speakers.values():
        if names & {fold(n) for n in [data["name"], *data["aliases"]]}:
            names |= {fold(n) for n in [data["name"], *data["aliases"]]}
    names.discard("")
    return names


def proposal_name(proposal, speakers):
    if proposal.speaker_key:
        return speakers[proposal.speaker_key]["name"]
    return proposal.new_name or ""


def load_dev(directory):
    articles = []
    for key_path in sorted(Path(directory).glob("*.answers.tsv")):
        stem = key_path.name.removesuffix(".answers.tsv")
        text = (key_path.parent / f"{stem}.txt").read_text(encoding="utf-8")
        rows = list(csv.DictReader(key_path.open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
        language = "fr" if re.search(r"\b(le|la|les|des|du|une|est)\b", text[:400]) else "en"
        articles.append({"stem": stem, "text": text, "rows": rows, "language": language})
    return articles


def _gold_spans(text, rows):
    """Each key row's offsets: its quote_exact searched in order of appearance."""
    spans, cursor = [], 0
    for row in rows:
        start = text.find(row["quote_exact"], cursor)
        if start == -1:
            start = text.find(row["quote_exact"])
        spans.append((start, start + len(row["quote_exact"])))
        cursor = start + 1
    return spans


def score_dev(speakers, articles, verbose=False):
    """Per article and per language: recall, precision (exact spans) and speaker accuracy."""
    known = known_speakers(speakers)
    per_article, misses = {}, []
    for article in articles:
        text, rows = article["text"], article["rows"]
        gold = _gold_spans(text, rows)
        extracted = extract(text, known)
        found = exact = right = 0
        for (start, end), row in zip(gold, rows, strict=True):
            match = next((i for i in extracted if overlaps(i.quotation.start, i.quotation.end, start, end)), None)
            if match is None:
                misses.append(f"  missed {article['stem'][:2]} “{row['quote_exact'][:60]}”")
                continue
            found += 1
            exact += (match.quotation.start, match.quotation.end) == (start, end)
            name = proposal_name(match.proposal, speakers)
            if row["speaker"] == NO_SPEAKER:
                ok = not match.proposal.is_attributed
            else:
                ok = fold(name) in accepted_names(row["speaker"], speakers)
            right += ok
            if not ok:
                misses.append(
                    f"  wrong  {article['stem'][:2]} “{row['quote_exact'][:40]}”: {name or '-'} instead of "
                    f"{row['speaker']} ({match.proposal.cue[:80]})"
                )
        precise = sum(any(overlaps(i.quotation.start, i.quotation.end, s, e) for s, e in gold) for i in extracted)
        for item in extracted:
            q = item.quotation
            if not any(overlaps(q.start, q.end, s, e) for s, e in gold):
                misses.append(f"  extra  {article['stem'][:2]} {q.start}-{q.end} “{q.text[:60]}”")
        per_article[article["stem"]] = {
            "language": article["language"],
            "quotations": len(rows),
            "extracted": len(extracted),
            "found": found,
            "exact": exact,
            "precise": precise,
            "right_speaker": right,
        }
    return per_article, misses


def dev_figures(counts):
    keys = ("quotations", "extracted", "found", "exact", "precise", "right_speaker")
    total = {k: sum(c[k] for c in counts) for k in keys}
    return {
        "quotations": total["quotations"],
        "extracted": total["extracted"],
        "recall": total["found"] / total["quotations"] if total["quotations"] else 0.0,
        "exact_offsets": total["exact"] / total["found"] if total["found"] else 0.0,
        "precision": total["precise"] / total["extracted"] if total["extracted"] else 0.0,
        # Over every quotation of the key: a missed quotation has no right speaker.
        "speaker_accuracy": total["right_speaker"] / total["quotations"] if total["quotations"] else 0.0,
    }


def dev_report(per_article):
    groups = [(stem, [counts]) for stem, counts in per_article.items()]
    for language in ("en", "fr"):
        groups.append((f"all {language}", [c for c in per_article.values() if c["language"] == language]))
    groups.append(("all", list(per_article.values())))
    return {label: dev_figures(counts) for label, counts in groups}


def _line(label, figures):
    return (
        f"{label:<52} {figures['quotations']:>3} keyed {figures['extracted']:>3} extracted — "
        f"recall {figures['recall']:6.1%}  precision {figures['precision']:6.1%}  "
        f"exact offsets {figures['exact_offsets']:6.1%}  speaker accuracy {figures['speaker_accuracy']:6.1%}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixture", default=str(ROOT / "fixtures" / "seed.json"))
    parser.add_argument("--verbose", action="store_true", help="List misses, extra spans and wrong speakers.")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dev", default=str(DEV_DIR), help="The development set's directory ('' to skip it).")
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
    targets_met = results["quotations"]["recall"] >= 0.95 and results["quotations"]["speaker_accuracy"] >= 0.85
    if args.dev and Path(args.dev).is_dir():
        per_article, misses = score_dev(speakers, load_dev(args.dev), verbose=args.verbose)
        report = dev_report(per_article)
        results["development set"] = report
        if not args.json:
            print("\ndevelopment set (" + args.dev + "):")
            for label, figures in report.items():
                print(_line(label, figures))
            if args.verbose:
                print("\n".join(misses))
        overall = report["all"]
        targets_met = targets_met and overall["recall"] >= 0.95 and overall["speaker_accuracy"] >= 0.85
    if args.json:
        print(json.dumps(results, indent=2))
    return 0 if targets_met else 1


if __name__ == "__main__":
    sys.exit(main())
