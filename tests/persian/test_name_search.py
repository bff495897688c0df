import pytest

from taavon.persian import name_search_tokens, search_key, search_tokens
from taavon.persian.normalize import GENERIC_NAME_WORDS


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("شرکت تعاونی زاگرس", ["زاگرس"]),
        ("شركت تعاوني زاگرس", ["زاگرس"]),  # Arabic kaf and yeh
        ("تعاونی مسکن کارکنان", ["مسکن", "کارکنان"]),
        ("اداره کل تعاون لرستان", ["اداره", "کل", "لرستان"]),
        ("«شرکت» تعاونیِ زاگرس", ["زاگرس"]),  # punctuation and a diacritic
        ("زاگرس شرکت", ["زاگرس"]),
    ],
)
def test_name_search_tokens_drop_generic_words(query, expected):
    assert name_search_tokens(query) == [search_key(w) for w in expected]


@pytest.mark.parametrize("query", ["تعاونی", "تعاوني", "شرکت تعاونی", "شرکت  تعاون", "«تعاونی»"])
def test_name_search_tokens_keep_generic_words_when_nothing_else(query):
    assert name_search_tokens(query) == search_tokens(query)
    assert name_search_tokens(query)


def test_name_search_tokens_empty():
    assert name_search_tokens("") == []
    assert name_search_tokens(None) == []
    assert name_search_tokens(" ، - ") == []


def test_name_search_tokens_do_not_drop_words_that_only_contain_a_generic_word():
    assert name_search_tokens("تعاونی‌ها زاگرس") == [search_key("تعاونیها"), search_key("زاگرس")]
    assert name_search_tokens("شرکتی زاگرس") == [search_key("شرکتی"), search_key("زاگرس")]


def test_generic_name_words():
    keys = {search_key(w) for w in GENERIC_NAME_WORDS}
    assert {search_key("شرکت"), search_key("تعاونی"), search_key("تعاون")} <= keys
