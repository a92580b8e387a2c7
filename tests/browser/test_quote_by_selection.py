"""A curator quotes by selecting a passage of an archived source, in a real browser."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from claims.models import Quote, Source, Speaker

from .conftest import PASSWORD, log_in, pick_autocomplete

pytestmark = pytest.mark.django_db(transaction=True)

# An astral character (🛢, two UTF-16 units in the browser, one index in Python) and a curly quote
# before the passage: offsets counted in UTF-16 would land two characters off.
TEXT = (
    "# Fuel convoys 🛢 reach Bamako\n\n"
    "Bamako, 3 March. The prime minister, Choguel Kokalla Maïga, told reporters: "
    "“The convoys are arriving every day.” Observers doubted it.\n\n"
    "A week later the minister said the convoys were arriving every day. Nobody checked."
)
PASSAGE = "the convoys were arriving every day."

SELECT_SQL = """
([passage, trailing]) => {
  const root = document.getElementById('source-text');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(passage);
    if (at >= 0) {
      node.parentElement.scrollIntoView({block: 'center'});
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + passage.length + trailing);  // with the space after: trimmed off
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return true;
    }
  }
  return false;
}
"""


# The Content-Security-Policy allows no inline script: the page's script is a static file, and any
# violation would show here (the same listener as tests/browser/test_content_security_policy.py).
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def curator():
    user = get_user_model().objects.create_user("curator", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    return user


def test_selecting_a_passage_opens_the_add_quote_form_filled_in_and_the_saved_quote_verifies(
    new_page, curator, artifacts
):
    source = Source.objects.create(title="Convoys reach Bamako", slug="convoys", kind="article", text=TEXT)
    speaker = Speaker.objects.create(name="Choguel Kokalla Maïga", slug="maiga", kind="person")
    Quote.objects.create(speaker=speaker, source=source, text="Observers doubted it.")
    page = new_page()
    page.add_init_script(LISTEN)
    log_in(page, "curator")

    page.goto(f"/admin/claims/source/{source.pk}/change/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []
    text_box = page.locator("#source-text")
    assert TEXT.replace("\r", "") == text_box.evaluate("node => node.textContent")
    assert page.locator("#source-text mark").inner_text() == "Observers doubted it."
    assert not page.locator("#quote-this").is_visible()

    assert page.evaluate(SELECT_SQL, [PASSAGE, 1])
    button = page.get_by_role("button", name="Quote this…")
    button.wait_for(state="visible")
    # The button appears next to the selection, not somewhere else on the page.
    selection_bottom = page.evaluate("window.getSelection().getRangeAt(0).getBoundingClientRect().bottom")
    assert 0 < button.bounding_box()["y"] - selection_bottom < 40
    page.screenshot(path=str(artifacts / "source-page-quote-by-selection.png"))
    button.click()

    page.wait_for_url("**/admin/claims/quote/add/**")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []
    start = TEXT.index(PASSAGE)
    assert page.input_value("#id_text") == PASSAGE
    assert page.input_value("#id_start") == str(start)
    assert page.input_value("#id_end") == str(start + len(PASSAGE))
    assert page.input_value("#id_source") == str(source.pk)
    assert page.locator("#id_source + .select2").inner_text().strip().endswith("Convoys reach Bamako")

    pick_autocomplete(page, "id_speaker", "maiga")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert page.inner_text(".quote-context mark") == PASSAGE
    quote = Quote.objects.get(text=PASSAGE)
    assert (quote.source, quote.speaker, quote.start, quote.end) == (source, speaker, start, start + len(PASSAGE))
    assert TEXT[quote.start : quote.end] == PASSAGE
    call_command("verify_quotes", verbosity=0)  # raises CommandError on any mismatch

    # Back on the source, the new quote is highlighted too.
    page.goto(f"/admin/claims/source/{source.pk}/change/")
    assert page.locator("#source-text mark").all_inner_texts() == ["Observers doubted it.", PASSAGE]
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "source-page.png"), full_page=True)


def test_selecting_outside_the_source_text_offers_nothing(new_page, curator):
    source = Source.objects.create(title="Convoys reach Bamako", slug="convoys", kind="article", text=TEXT)
    page = new_page()
    log_in(page, "curator")
    page.goto(f"/admin/claims/source/{source.pk}/change/")
    page.evaluate(
        """() => { const range = document.createRange(); range.selectNodeContents(document.querySelector('h1'));
                   window.getSelection().removeAllRanges(); window.getSelection().addRange(range); }"""
    )
    page.wait_for_timeout(200)
    assert not page.locator("#quote-this").is_visible()
