import pytest

from claims.text import fold, search_document


def test_fold_removes_accents_and_case():
    assert fold("Maïga GOÏTA Ménaka Keïta") == "maiga goita menaka keita"


def test_fold_unifies_apostrophes():
    assert fold("Jama’at") == fold("Jama'at") == "jama'at"


def test_search_document_is_padded_words():
    assert search_document("Choguel Kokalla Maïga,", "Maiga") == " choguel kokalla maiga maiga "


def test_words_with_apostrophes_are_also_searchable_without_them():
    assert search_document("Jama’at Nusrat") == " jama'at jamaat nusrat "


@pytest.mark.django_db
def test_a_spelling_without_the_apostrophe_finds_the_speaker():
    from claims.models import Speaker
    from tests import factories

    jnim = factories.speaker(name="Jama’at Nusrat al-Islam wal-Muslimin", kind="armed_group")
    assert list(Speaker.objects.matching("Jamaat Nusrat")) == [jnim]
