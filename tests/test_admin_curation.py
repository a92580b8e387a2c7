"""Curating in the admin: counts that link to what they count, quoting by selection, readable lists and dates."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from claims.source_text import segments
from tests import factories

pytestmark = pytest.mark.django_db

# An astral character (two UTF-16 units, one Python index) before the passage a curator selects.
TEXT = "Bamako 🛢️ report. The minister said “the convoys arrive daily” on Friday.\r\nMore follows."


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def links(content):
    return {unescape(text): unescape(href) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', content)}


def rows(admin_client, url):
    content = admin_client.get(url).content.decode()
    return re.findall(r'<tr>\s*<td class="action-checkbox">.*?</tr>', content, re.DOTALL)


def test_speaker_page_links_its_quote_and_claim_counts_to_the_filtered_lists(admin_client):
    speaker = factories.speaker(name="Abdoulaye Diop")
    first = factories.attribution(quote=factories.quote(speaker=speaker))
    factories.attribution(quote=factories.quote(speaker=speaker, text="Later he repeated"), claim=first.claim)
    factories.attribution()  # somebody else's
    content = admin_client.get(reverse("admin:claims_speaker_change", args=[speaker.pk])).content.decode()
    found = links(content)
    assert found["2 quotes"] == reverse("admin:claims_quote_changelist") + f"?speaker={speaker.slug}"
    assert found["1 claim"] == reverse("admin:claims_claim_changelist") + f"?speaker={speaker.slug}"
    assert len(rows(admin_client, found["2 quotes"])) == 2
    claims = rows(admin_client, found["1 claim"])
    assert len(claims) == 1 and first.claim.text in claims[0]
    # The filter a link chose shows in the sidebar, so the curator sees why the list is short.
    assert "Abdoulaye Diop" in admin_client.get(found["1 claim"]).content.decode().split('id="changelist-filter"')[1]


def test_changelist_counts_link_to_the_filtered_lists(admin_client):
    attribution = factories.attribution()
    claim, quote = attribution.claim, attribution.quote
    other = factories.relation(from_claim=claim)
    factories.relation(to_claim=claim)
    factories.relation()  # unrelated
    topic = factories.topic(name="Fuel blockade")
    claim.topics.add(topic)

    speakers = links(admin_client.get(reverse("admin:claims_speaker_changelist")).content.decode())
    assert speakers["1 quote"] == reverse("admin:claims_quote_changelist") + f"?speaker={quote.speaker.slug}"
    sources = links(admin_client.get(reverse("admin:claims_source_changelist")).content.decode())
    assert sources["1 quote"] == reverse("admin:claims_quote_changelist") + f"?source={quote.source.slug}"
    topics = links(admin_client.get(reverse("admin:claims_topic_changelist")).content.decode())
    assert len(rows(admin_client, topics["1 claim"])) == 1

    claim_links = links(admin_client.get(reverse("admin:claims_claim_changelist")).content.decode())
    assert claim_links["1 attribution"] == reverse("admin:claims_attribution_changelist") + f"?claim={claim.pk}"
    assert claim_links["2 relations"] == reverse("admin:claims_claimrelation_changelist") + f"?claim={claim.pk}"
    relations = rows(admin_client, claim_links["2 relations"])
    assert len(relations) == 2  # either side of the claim, not the unrelated one
    assert other.to_claim.text in " ".join(relations)
    assert len(rows(admin_client, claim_links["1 attribution"])) == 1


def test_quote_page_names_the_claims_it_supports_with_links(admin_client):
    quote = factories.quote()
    asserted = factories.attribution(quote=quote).claim
    denied = factories.attribution(quote=quote, stance="denies").claim
    content = admin_client.get(reverse("admin:claims_quote_change", args=[quote.pk])).content.decode()
    found = links(content)
    assert found[asserted.text] == reverse("admin:claims_claim_change", args=[asserted.pk])
    assert found[denied.text] == reverse("admin:claims_claim_change", args=[denied.pk])
    assert f'Denies: <a href="{reverse("admin:claims_claim_change", args=[denied.pk])}"' in content
    assert found["2 attributions"] == reverse("admin:claims_attribution_changelist") + f"?quote={quote.pk}"


def test_quote_filters_have_distinct_titles_and_the_topic_filter_names_claims_without_one(admin_client):
    quotes = admin_client.get(reverse("admin:claims_quote_changelist")).content.decode()
    assert "By quote kind" in quotes and "By source kind" in quotes
    assert quotes.count("By kind") == 0
    factories.topic(name="Fuel blockade")
    claims = admin_client.get(reverse("admin:claims_claim_changelist")).content.decode()
    sidebar = claims.split('id="changelist-filter"')[1]
    assert "No topic" in sidebar
    assert ">-</a>" not in sidebar


def test_sources_say_archived_or_referenced_only_and_dates_no_more_precisely_than_known(admin_client):
    factories.source(title="Article", published_on=date(2019, 11, 5), published_precision="day")
    factories.source(title="Dispatch", published_on=date(2025, 11, 1), published_precision="month")
    factories.source(title="Interview", text="", published_on=date(2021, 1, 1), published_precision="year")
    content = admin_client.get(reverse("admin:claims_source_changelist")).content.decode()
    assert "5 November 2019" in content
    assert "November 2025" in content and "1 November 2025" not in content
    assert ">2021<" in content
    assert "referenced only" in content and ">archived<" in content
    assert "icon-no" not in content.split('id="result_list"')[1]
    assert not re.search(r"\b\d\d/\d\d/\d{4}\b", content)


def test_date_inputs_show_iso_dates_and_lists_show_dates_in_words(admin_client):
    source = factories.source(published_on=date(2019, 11, 5), published_precision="day")
    change = admin_client.get(reverse("admin:claims_source_change", args=[source.pk])).content.decode()
    assert 'value="2019-11-05"' in change
    assert "05/11/2019" not in change
    role = factories.role(start_date=date(2021, 6, 1), start_precision="month")
    roles = admin_client.get(reverse("admin:claims_role_changelist")).content.decode()
    assert "June 2021" in roles
    assert role.title in roles


def test_changelists_show_the_key_columns_without_cutting_the_source_title(admin_client):
    title = "Mali: Foreign minister Abdoulaye Diop denounces the media campaign about the fall of Bamako"
    attribution = factories.attribution(quote=factories.quote(source=factories.source(title=title)))
    factories.relation(to_claim=attribution.claim, note="A note")
    quotes = admin_client.get(reverse("admin:claims_quote_changelist")).content.decode()
    assert title in quotes
    relations = admin_client.get(reverse("admin:claims_claimrelation_changelist")).content.decode()
    assert "column-kind" in relations and "column-to_claim_short" in relations
    attributions = admin_client.get(reverse("admin:claims_attribution_changelist")).content.decode()
    assert "column-speaker" in attributions and attribution.quote.speaker.name in attributions


def test_add_speaker_page_stacks_the_roles_instead_of_a_wide_table(admin_client):
    content = admin_client.get(reverse("admin:claims_speaker_add")).content.decode()
    assert 'id="roles-group"' in content
    roles = content.split('id="roles-group"')[1].split("</fieldset>")[0]
    assert "tabular" not in content.split('id="roles-group"')[0][-300:] + roles[:300]
    assert 'name="roles-0-start_date"' in content


# Quoting by selection ---------------------------------------------------------------------------------


def test_segments_cut_the_text_at_every_quote_boundary_and_carriage_return():
    text = "ab\r\ncdefgh"
    assert segments(text, [(4, 6), (5, 8)]) == [
        (0, 2, []),
        (2, 3, []),
        (3, 4, []),
        (4, 5, [0]),
        (5, 6, [0, 1]),
        (6, 8, [1]),
        (8, 10, []),
    ]


def test_source_page_shows_the_full_text_with_quotes_highlighted_and_code_point_offsets(admin_client):
    source = factories.source(text=TEXT, title="Convoys")
    quote = factories.quote(source=source, text="the convoys arrive daily")
    content = admin_client.get(reverse("admin:claims_source_change", args=[source.pk])).content.decode()
    body = content.split('id="source-text"')[1].split("</div>")[0]
    assert f'data-length="{len(TEXT)}"' in body
    assert f'data-source="{source.pk}"' in body
    assert f'data-add-url="{reverse("admin:claims_quote_add")}"' in body
    mark = re.search(r'<mark data-start="(\d+)" data-quotes="(\d+)"[^>]*>([^<]*)</mark>', body)
    assert mark is not None
    assert int(mark.group(1)) == TEXT.index("the convoys") == quote.start  # Python indices, not UTF-16
    assert mark.group(2) == str(quote.pk)
    assert mark.group(3) == "the convoys arrive daily"
    # Every character of the text is there, each segment at its offset.
    pieces = re.findall(r'<(?:span|mark) data-start="(\d+)"[^>]*>([^<]*)</(?:span|mark)>', body)
    for start, piece in pieces:
        assert TEXT[int(start) : int(start) + len(unescape(piece))] == unescape(piece)
    assert "".join(unescape(piece) for _, piece in pieces) == TEXT.replace("\r", "")
    assert "Quote this…" in content
    assert "claims/admin/quote-by-selection.js" in content


def test_referenced_only_source_has_no_text_to_select(admin_client):
    source = factories.source(text="")
    content = admin_client.get(reverse("admin:claims_source_change", args=[source.pk])).content.decode()
    assert 'id="source-text"' not in content


def test_add_quote_form_is_filled_from_a_selection(admin_client):
    source = factories.source(text=TEXT, title="Convoys")
    start = TEXT.index("the convoys")
    params = {"source": source.pk, "text": "the convoys arrive daily", "start": start, "end": start + 24}
    content = admin_client.get(reverse("admin:claims_quote_add"), params).content.decode()
    assert f'<option value="{source.pk}" selected>Convoys</option>' in content
    assert ">\nthe convoys arrive daily</textarea>" in content
    assert f'name="start" value="{start}"' in content
    assert f'name="end" value="{start + 24}"' in content


def test_curation_pages_carry_no_inline_script_or_style(admin_client):
    source = factories.source(text=TEXT)
    quote = factories.quote(source=source, text="the convoys arrive daily")
    claim = factories.attribution(quote=quote).claim
    factories.relation(to_claim=claim)
    for url in [
        reverse("admin:claims_source_change", args=[source.pk]),
        reverse("admin:claims_quote_change", args=[quote.pk]),
        reverse("admin:claims_claim_review", args=[claim.pk]),
        reverse("admin:claims_claim_review_queue"),
        reverse("admin:index"),
    ]:
        content = admin_client.get(url).content.decode()
        main = content.split('id="content-main"')[1]
        assert "<style" not in main, url
        assert 'style="' not in main, url
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)", main), url
