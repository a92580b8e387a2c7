from claims.text import fold, search_document


def test_fold_removes_accents_and_case():
    assert fold("Maïga GOÏTA Ménaka Keïta") == "maiga goita menaka keita"


def test_fold_unifies_apostrophes():
    assert fold("Jama’at") == fold("Jama'at") == "jama'at"


def test_search_document_is_padded_words():
    assert search_document("Choguel Kokalla Maïga,", "Maiga") == " choguel kokalla maiga maiga "
