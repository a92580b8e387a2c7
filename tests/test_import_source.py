"""Ingesting an article: archive once, extract drafts, refuse overwrites, review drafts in the admin."""

import datetime
import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.ingest import UNATTRIBUTED_SLUG, drafts_approve, parse_partial_date, source_import
from claims.models import DatePrecision, Quote, Source, Speaker, Status
from tests import factories

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Some called it “a turning point”.\n\n"
    "“We will not leave Gao,” Amadou Koné said on Tuesday.\n\n"
    "Kone added: “The convoys are protected.”\n\n"
    "“Prices have tripled,” Boubacar Diallo, a trader in Mopti, told reporters. "
    "He added, “Nobody can afford fuel.”\n"
)


@pytest.fixture
def kone():
    speaker = factories.speaker(name="Amadou Koné", slug="amadou-kone")
    speaker.aliases.create(name="Amadou Kone")
    return speaker


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def run(*args):
    out = io.StringIO()
    call_command("import_source", *map(str, args), stdout=out)
    return out.getvalue()


def test_import_archives_the_text_with_its_checksum_and_extracts_drafts(kone, article):
    output = run(article, "--title", "Gao under pressure", "--publisher", "Sahel Daily", "--published", "2025-11")
    source = Source.objects.get(title="Gao under pressure")
    assert source.text == ARTICLE
    assert source.sha256 == Source.checksum(ARTICLE)
    assert (source.published_on, source.published_precision) == (datetime.date(2025, 11, 1), DatePrecision.MONTH)
    quotes = list(source.quotes.order_by("start"))
    assert [q.text for q in quotes] == [
        "a turning point",
        "We will not leave Gao,",
        "The convoys are protected.",
        "Prices have tripled,",
        "Nobody can afford fuel.",
    ]
    assert all(q.status == Status.DRAFT and ARTICLE[q.start : q.end] == q.text for q in quotes)
    assert quotes[0].speaker.slug == UNATTRIBUTED_SLUG
    assert [q.speaker.slug for q in quotes[1:3]] == ["amadou-kone", "amadou-kone"]
    diallo = Speaker.objects.get(name="Boubacar Diallo")
    assert diallo.status == Status.DRAFT and diallo.kind == Speaker.Kind.PERSON
    assert [q.speaker for q in quotes[3:5]] == [diallo, diallo]
    assert "pronoun" in quotes[4].extraction_cue and 0 < quotes[4].extraction_confidence < 1
    for line in ["quotations found", "attributed to known speakers", "attributed to new speakers", "unattributed"]:
        assert line in output
    assert "quotations found                  5" in output
    assert "attributed to known speakers      2" in output
    assert "attributed to new speakers        2" in output


def test_importing_the_same_text_again_creates_nothing(kone, article):
    run(article, "--title", "Gao under pressure", "--publisher", "Sahel Daily")
    counts = (Source.objects.count(), Quote.objects.count(), Speaker.objects.count())
    output = run(article, "--title", "Another title", "--publisher", "Other")
    assert "already archived as “gao-under-pressure”" in output
    assert (Source.objects.count(), Quote.objects.count(), Speaker.objects.count()) == counts


def test_a_different_text_under_an_archived_url_is_refused(article, tmp_path):
    url = "https://example.org/gao"
    run(article, "--title", "Gao", "--publisher", "Sahel Daily", "--url", url)
    changed = tmp_path / "changed.txt"
    changed.write_text(ARTICLE + "Correction appended.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="already archived as “gao” with a different text"):
        run(changed, "--title", "Gao", "--publisher", "Sahel Daily", "--url", url)
    assert Source.objects.get(url=url).text == ARTICLE


def test_dry_run_prints_the_summary_and_writes_nothing(kone, article):
    output = run(article, "--title", "Gao", "--publisher", "Sahel Daily", "--dry-run")
    assert "Dry run, nothing written" in output
    assert "quotations found                  5" in output
    assert not Source.objects.exists() and not Quote.objects.exists()
    assert list(Speaker.objects.values_list("slug", flat=True)) == ["amadou-kone"]


def test_progress_is_reported_on_long_files(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("".join(f"“Statement number {n},” Awa Cissé said.\n\n" for n in range(60)), encoding="utf-8")
    output = run(path, "--title", "Long", "--publisher", "Sahel Daily")
    assert "writing 60/60 quotations" in output  # one batch
    assert Quote.objects.filter(speaker__name="Awa Cissé").count() == 60


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2019", (datetime.date(2019, 1, 1), DatePrecision.YEAR)),
        ("2019-11", (datetime.date(2019, 11, 1), DatePrecision.MONTH)),
        ("2019-11-05", (datetime.date(2019, 11, 5), DatePrecision.DAY)),
    ],
)
def test_published_date_keeps_its_precision(given, expected):
    assert parse_partial_date(given) == expected


@pytest.mark.parametrize("given", ["5 November 2019", "2019-13", "2019-02-30", "19"])
def test_malformed_published_date_is_refused(given):
    with pytest.raises(ValidationError) as error:
        parse_partial_date(given)
    assert "published" in error.value.message_dict


def test_bad_date_on_the_command_line_is_a_command_error(article):
    with pytest.raises(CommandError, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        run(article, "--title", "Gao", "--publisher", "Sahel Daily", "--published", "Nov 2019")
    assert not Source.objects.exists()


def test_drafts_are_hidden_from_anonymous_api_reads(client, kone):
    result = source_import(text=ARTICLE, title="Gao", publisher="Sahel Daily")
    approved = factories.quote()
    response = client.get("/api/quotes/")
    assert response.status_code == 200
    listed = response.content.decode()
    assert approved.text in listed
    for draft in result.quotes:
        assert draft.text not in listed


# The admin's draft review ------------------------------------------------------------------


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def changelist_action(admin_client, action, quotes, **extra):
    data = {"action": action, "_selected_action": [q.pk for q in quotes], "index": 0, **extra}
    return admin_client.post(reverse("admin:claims_quote_changelist"), data, follow=True)


def test_draft_list_shows_only_drafts(admin_client, kone):
    result = source_import(text=ARTICLE, title="Gao", publisher="Sahel Daily")
    approved = factories.quote()
    response = admin_client.get(reverse("admin:claims_quote_changelist"), {"status__exact": "draft"})
    assert response.status_code == 200
    assert {q.pk for q in response.context["cl"].result_list} == {q.pk for q in result.quotes}
    assert approved.pk not in {q.pk for q in response.context["cl"].result_list}


def test_bulk_approve_publishes_drafts_and_their_draft_speakers(admin_client, kone):
    result = source_import(text=ARTICLE, title="Gao", publisher="Sahel Daily")
    chosen = [q for q in result.quotes if q.speaker.slug != UNATTRIBUTED_SLUG]
    response = changelist_action(admin_client, "approve_drafts", chosen)
    assert "4 draft quote(s) approved" in response.content.decode()
    assert set(Quote.objects.filter(pk__in=[q.pk for q in chosen]).values_list("status", flat=True)) == {"approved"}
    assert Speaker.objects.get(name="Boubacar Diallo").status == Status.APPROVED


def test_approving_a_quote_without_a_speaker_is_refused(admin_client, kone):
    result = source_import(text=ARTICLE, title="Gao", publisher="Sahel Daily")
    unattributed = [q for q in result.quotes if q.speaker.slug == UNATTRIBUTED_SLUG]
    response = changelist_action(admin_client, "approve_drafts", result.quotes)
    assert "reassign it before approving" in response.content.decode()
    assert Quote.objects.get(pk=unattributed[0].pk).status == Status.DRAFT
    # One transaction: none of the selection was approved.
    assert not Quote.objects.filter(status=Status.APPROVED, source=result.source).exists()


def test_reassign_speaker_then_approve(admin_client, kone):
    result = source_import(text=ARTICLE, title="Gao", publisher="Sahel Daily")
    unattributed = [q for q in result.quotes if q.speaker.slug == UNATTRIBUTED_SLUG]
    response = changelist_action(admin_client, "reassign_speaker", unattributed, speaker=kone.pk)
    assert "1 quote(s) reassigned to Amadou Koné" in response.content.decode()
    assert Quote.objects.get(pk=unattributed[0].pk).speaker == kone
    changelist_action(admin_client, "approve_drafts", unattributed)
    assert Quote.objects.get(pk=unattributed[0].pk).status == Status.APPROVED


def test_reassign_without_choosing_a_speaker_changes_nothing(admin_client, kone):
    result = source_import(text=ARTICLE, title="Gao", publisher="Sahel Daily")
    kones = [q for q in result.quotes if q.speaker == kone]
    response = changelist_action(admin_client, "reassign_speaker", kones, speaker="")
    assert "Choose the speaker to reassign to" in response.content.decode()
    changelist_action(admin_client, "reassign_speaker", kones, speaker=999_999)  # no such speaker: refused
    assert all(Quote.objects.get(pk=q.pk).speaker == kone for q in kones)


def test_draft_review_shows_the_cue_and_confidence_and_a_speaker_autocomplete(admin_client, kone):
    source_import(text=ARTICLE, title="Gao", publisher="Sahel Daily")
    response = admin_client.get(reverse("admin:claims_quote_changelist"), {"status__exact": "draft"})
    content = response.content.decode()
    assert "Proposed by the importer" in content
    assert "0.90 · after: Amadou Koné said" in content
    speaker_box = content[content.index('<select name="speaker"') :].split("</select>")[0]
    assert speaker_box.count("<option") == 1  # only the empty choice: no option per speaker
    # The reassign box asks the speaker admin's autocomplete: no <option> per speaker on the page.
    assert 'data-ajax--url="/admin/autocomplete/"' in content and 'data-model-name="quote"' in content
    assert "admin/js/autocomplete.js" in content


def test_the_speaker_autocomplete_finds_a_speaker_by_alias(admin_client, kone):
    url = reverse("admin:autocomplete")
    params = {"term": "Kone", "app_label": "claims", "model_name": "quote", "field_name": "speaker"}
    response = admin_client.get(url, params)
    assert [row["text"] for row in response.json()["results"]] == ["Amadou Koné"]


def test_reject_deletes_drafts_and_their_orphan_draft_speakers_but_keeps_cited_ones(admin_client, kone):
    result = source_import(text=ARTICLE, title="Gao", publisher="Sahel Daily")
    cited = result.quotes[0]
    factories.attribution(quote=cited)
    diallo_quotes = [q for q in result.quotes if q.speaker.name == "Boubacar Diallo"]
    response = changelist_action(admin_client, "reject_drafts", [cited, *diallo_quotes])
    content = response.content.decode()
    assert "2 draft quote(s) rejected" in content
    assert "1 draft quote(s) kept" in content
    assert Quote.objects.filter(pk=cited.pk).exists()
    assert not Quote.objects.filter(pk__in=[q.pk for q in diallo_quotes]).exists()
    assert not Speaker.objects.filter(name="Boubacar Diallo").exists()


def test_approved_quotes_are_left_alone_by_draft_actions(kone):
    approved = factories.quote()
    assert drafts_approve(quotes=Quote.objects.filter(pk=approved.pk)) == 0


# Issue 16: drafts never feed back, language, size cap, control characters ---------------------


def test_a_draft_speaker_from_one_import_is_not_proposed_as_known_for_the_next():
    first = source_import(text="“We hold the bridge,” Karim Sow said.", title="One", publisher="Sahel Daily")
    [draft] = first.new_speakers
    assert draft.status == Status.DRAFT
    second = source_import(text="“The bridge is lost,” Sow said later.", title="Two", publisher="Sahel Daily")
    [quote] = second.quotes
    assert quote.speaker != draft and quote.speaker.status == Status.DRAFT
    assert second.known == 0 and second.new == 1


def test_an_approved_speaker_is_proposed_as_known():
    factories.speaker(name="Karim Sow", slug="karim-sow")  # approved by default
    result = source_import(text="“The bridge is lost,” Karim Sow said.", title="Three", publisher="Sahel Daily")
    assert [q.speaker.slug for q in result.quotes] == ["karim-sow"] and result.known == 1


def test_the_sources_language_is_detected_and_stored_at_import():
    text = "« Le pont est tombé », a déclaré Karim Sow, le porte-parole de la région, dans la soirée de lundi."
    result = source_import(text=text, title="Pont", publisher="Journal du Sahel")
    assert result.source.language == "fr" and result.quotes[0].language == "fr"
    assert result.quotes[0].speaker.name == "Karim Sow"


def test_a_language_given_at_import_wins_over_detection():
    result = source_import(text="“Yes,” she said.", title="Given", publisher="P", language="fr")
    assert result.source.language == "fr"


def test_a_text_longer_than_the_setting_is_refused_with_a_clear_message(settings):
    settings.IMPORT_MAX_CHARACTERS = 100
    with pytest.raises(ValidationError) as caught:
        source_import(text="“Words,” she said. " * 10, title="Long", publisher="P")
    [error] = caught.value.error_dict["text"]
    assert error.code == "text_too_long" and "IMPORT_MAX_CHARACTERS" in error.message
    assert not Source.objects.exists()


def test_a_text_with_a_nul_character_is_refused_by_the_command(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes("“Quoted” text\x00 with junk “and more”".encode())
    with pytest.raises(CommandError, match="control character"):
        run(path, "--title", "Junk", "--publisher", "P")
    assert not Source.objects.exists() and not Quote.objects.exists()


def test_extraction_progress_is_reported_on_large_files(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("".join(f"“Point {n},” Awa Cissé said.\n\n" for n in range(1000)), encoding="utf-8")
    output = run(path, "--title", "Big", "--publisher", "Sahel Daily")
    assert "extracting 1000/1000 quotations" in output and "checking 1000/1000 quotations" in output
    assert "writing 1000/1000 quotations" in output


CUT_OFF = ARTICLE + "\nIbrahim Touré warned: “The road to the north stays closed until"


def test_a_quotation_cut_off_by_the_end_of_the_text_is_stored_as_truncated(kone):
    result = source_import(text=CUT_OFF, title="Gao", publisher="Sahel Daily")
    stored = {quote.text: quote.is_truncated for quote in Quote.objects.filter(source=result.source)}
    assert stored.pop("The road to the north stays closed until") is True
    assert not any(stored.values())
    assert Quote.history.get(text="The road to the north stays closed until").is_truncated


def test_the_draft_review_shows_which_quotations_are_cut_off(admin_client, kone):
    result = source_import(text=CUT_OFF, title="Gao", publisher="Sahel Daily")
    drafts = reverse("admin:claims_quote_changelist")
    response = admin_client.get(drafts, {"status__exact": "draft"})
    content = response.content.decode()
    assert '<th scope="col" class="sortable column-cut_off">' in content
    assert content.count('alt="True"') == 1 and content.count('alt="False"') == len(result.quotes) - 1
    filtered = admin_client.get(drafts, {"status__exact": "draft", "is_truncated__exact": "1"})
    assert [q.text for q in filtered.context["cl"].result_list] == ["The road to the north stays closed until"]


def test_the_api_says_a_published_quote_is_cut_off(client, kone):
    result = source_import(text=CUT_OFF, title="Gao", publisher="Sahel Daily")
    cut = next(quote for quote in result.quotes if quote.is_truncated)
    whole = next(quote for quote in result.quotes if quote.speaker == kone)
    drafts_approve(quotes=Quote.objects.filter(pk__in=[cut.pk, whole.pk]))  # and the draft speaker of the cut one
    assert client.get(f"/api/quotes/{cut.pk}/").json()["is_truncated"] is True
    assert client.get(f"/api/quotes/{whole.pk}/").json()["is_truncated"] is False
    page = client.get("/api/quotes/", {"source": result.source.slug}).json()["results"]
    assert {row["id"]: row["is_truncated"] for row in page} == {cut.pk: True, whole.pk: False}


def test_drafts_imported_before_the_flag_existed_are_flagged_from_their_cue(kone):
    result = source_import(text=CUT_OFF, title="Gao", publisher="Sahel Daily")
    Quote.objects.update(is_truncated=False)  # as migrated from before the column
    migration = importlib.import_module("claims.migrations.0011_quote_is_truncated")
    migration.flag_truncated_drafts(django_apps, schema_editor=None)
    flagged = Quote.objects.filter(source=result.source, is_truncated=True).values_list("text", flat=True)
    assert list(flagged) == ["The road to the north stays closed until"]
