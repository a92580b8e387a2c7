import unicodedata

import pytest

from claims.text import _APOSTROPHES, fold, search_document


def test_fold_removes_accents_and_case():
    assert fold("Maïga GOÏTA Ménaka Keïta") == "maiga goita menaka keita"


def test_fold_unifies_apostrophes():
    assert fold("Jama’at") == fold("Jama'at") == "jama'at"


def test_plain_ascii_text_folds_as_the_full_unicode_pass_would():
    # fold() skips decomposition for ASCII text (the importer folds every quotation it writes).
    def full_pass(text):
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_APOSTROPHES).casefold()

    every_ascii = "".join(chr(code) for code in range(128))
    assert fold(every_ascii) == full_pass(every_ascii)
    assert fold("Jama`at SAID: 'Ok'") == full_pass("Jama`at SAID: 'Ok'") == "jama'at said: 'ok'"
    assert fold("") == "" and fold(None) == ""


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
