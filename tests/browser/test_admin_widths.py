"""At 1400 px, on the seed record, the admin's lists and forms fit the window with their key columns in view."""

import pytest
from django.core.management import call_command

from tests import factories

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

# Each changelist with the column headers a curator reads it by.
LISTS = {
    "/admin/claims/claimrelation/": ["Claim", "Kind", "To claim"],
    "/admin/claims/quote/": ["Quote", "Speaker", "Source", "Kind", "Said", "Status"],
    "/admin/claims/attribution/": ["Claim", "Speaker", "Quote", "Stance"],
    "/admin/claims/reviewevent/": ["At", "Actor", "Action", "Claim"],
    "/admin/claims/source/": ["Title", "Published", "Archive", "Quotes"],
    "/admin/claims/claim/": ["Claim", "Attributions", "Related claims"],
    "/admin/claims/speaker/": ["Name", "Quotes", "Claims"],
}

HEADERS_IN_VIEW = r"""
(names) => {
  // The table scrolls inside its box: a column is in view when it ends inside that box.
  const box = document.querySelector('.results').getBoundingClientRect();
  const width = Math.min(document.documentElement.clientWidth, box.right + 1);
  const headers = Array.from(document.querySelectorAll('#result_list thead th'));
  return names.filter(name => {
    // A sorted column's header starts with its sort priority ("2\nTITLE").
    const th = headers.find(h => h.innerText.trim().split('\n').pop().trim().toLowerCase() === name.toLowerCase());
    if (!th) return true;
    const box = th.getBoundingClientRect();
    return box.right > width || box.width < 30;
  });
}
"""


def test_changelists_and_the_add_speaker_page_fit_1400_px_with_their_key_columns(new_page, artifacts):
    from claims.reviews import review_assign

    call_command("loaddata", "seed", verbosity=0)
    editor = factories.user(username="editor", is_staff=True, is_superuser=True)
    from claims.models import Claim

    review_assign(claim=Claim.objects.disputed().first(), actor=editor)
    page = new_page()
    log_in(page, "editor")
    too_wide = {}
    for url, headers in LISTS.items():
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        hidden = page.evaluate(HEADERS_IN_VIEW, headers)
        if width > 1400 or hidden:
            too_wide[url] = (width, hidden)
    page.goto("/admin/claims/speaker/add/")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 1400:
        too_wide["/admin/claims/speaker/add/"] = (width, [])
    page.goto("/admin/claims/quote/")
    page.screenshot(path=str(artifacts / "quote-list.png"))
    assert too_wide == {}
