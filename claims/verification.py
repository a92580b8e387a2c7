"""Re-checking the archive: checksums of sources and the verbatim text of every quote."""

from dataclasses import dataclass, field

from . import anchoring
from .models import Quote, Source


@dataclass
class VerificationReport:
    sources_checked: int = 0
    quotes_checked: int = 0
    unanchored: int = 0
    problems: list = field(default_factory=list)


def verify_record():
    report = VerificationReport()
    texts = {}
    for source in Source.objects.archived().only("pk", "slug", "text", "sha256").iterator(chunk_size=200):
        report.sources_checked += 1
        texts[source.pk] = source.text
        if Source.checksum(source.text) != source.sha256:
            report.problems.append(f"source {source.slug}: SHA-256 {source.sha256} does not match its text")
    quotes = Quote.objects.only("pk", "source_id", "text", "start", "end").order_by("pk")
    for quote in quotes.iterator(chunk_size=2000):
        source_text = texts.get(quote.source_id)
        if quote.start is None:
            if source_text:
                report.problems.append(f"quote {quote.pk}: unanchored although its source is archived")
            else:
                report.unanchored += 1
            continue
        report.quotes_checked += 1
        if not source_text:
            report.problems.append(f"quote {quote.pk}: has offsets but its source has no archived text")
            continue
        try:
            anchoring.anchor(source_text, quote.text, quote.start, quote.end)
        except anchoring.AnchoringError as error:
            report.problems.append(f"quote {quote.pk}: {error}")
    return report
