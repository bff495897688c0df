import pytest
from hypothesis import given
from hypothesis import strategies as st

from taavon.persian import has_markup, normalize_text, search_key, search_tokens

ZWNJ = "\u200c"


# --- normalize_text ---------------------------------------------------------------


def test_arabic_letters_become_persian():
    assert normalize_text("شركت تعاوني") == "شرکت تعاونی"
    assert normalize_text("مصطفى") == "مصطفی"
    assert normalize_text("مدرسة") == "مدرسه"
    assert normalize_text("خانۀ") == "خانه"
    assert normalize_text("أحمد إسلام ٱلف") == "احمد اسلام الف"
    assert normalize_text("مؤسسه") == "موسسه"


def test_diacritics_and_tatweel_removed():
    assert normalize_text("تَعاوُنی") == "تعاونی"
    assert normalize_text("تعــاونی") == "تعاونی"
    assert normalize_text("اجتماعیٌّ") == "اجتماعی"


def test_digits_folded_and_spaces_collapsed():
    assert normalize_text("  سال   ۱۴۰۴\n\tو ٢٠ ") == "سال 1404 و 20"


def test_zwnj_kept_between_letters():
    assert normalize_text("سرمایه" + ZWNJ + "گذاری") == "سرمایه" + ZWNJ + "گذاری"
    assert normalize_text("تعاونی" + ZWNJ * 3 + "ها") == "تعاونی" + ZWNJ + "ها"


def test_stray_zwnj_removed():
    assert normalize_text(ZWNJ + "تعاونی" + ZWNJ) == "تعاونی"
    assert normalize_text("تعاونی" + ZWNJ + " ها") == "تعاونی ها"


def test_other_joiners_and_spaces():
    assert normalize_text("خرم\u00a0آباد") == "خرم آباد"
    assert normalize_text("خرم\u202fآباد") == "خرم آباد"
    assert normalize_text("خرم\u2009آباد") == "خرم آباد"
    assert normalize_text("تعاونی\u200dها") == "تعاونی" + ZWNJ + "ها"
    assert normalize_text("تعاونی\u200bها") == "تعاونیها"
    assert normalize_text("\ufeffتعاونی") == "تعاونی"


def test_normalize_empty():
    assert normalize_text("") == ""
    assert normalize_text(None) == ""
    assert normalize_text("   ") == ""


# --- search_key -------------------------------------------------------------------


@pytest.mark.parametrize(
    "variants",
    [
        # The seed report's own spellings.
        ["سرمایهگذاری", "سرمایه گذاری", "سرمایه" + ZWNJ + "گذاری", "سرمايه" + ZWNJ + "گذاري"],
        ["تعاونیها", "تعاونی" + ZWNJ + "ها", "تعاوني ها"],
        ["شرکتهای", "شرکت" + ZWNJ + "های", "شركتهاي", "شرکت های"],
        ["شرکت", "شركت"],
        ["خرم آباد", "خرم" + ZWNJ + "آباد", "خرم‌آباد", "خرماباد"],
    ],
)
def test_search_key_variants_agree(variants):
    keys = {search_key(v) for v in variants}
    assert len(keys) == 1, keys


def test_search_key_removes_punctuation_and_lowercases():
    assert search_key("«تعاونی»، فعال؛ آری؟") == search_key("تعاونی فعال آری")
    assert search_key("Coop-Taavon_(Lorestan)/ \\ \"x\" 'y'.") == "cooptaavonlorestanxy"
    assert search_key("ABC") == "abc"
    assert search_key("شماره ۱۲") == "شماره12"


def test_search_key_empty():
    assert search_key("") == ""
    assert search_key(None) == ""
    assert search_key(" ،.؛ ") == ""


def test_search_tokens():
    assert search_tokens("شرکت  تعاونی‌ها «لرستان»") == [
        search_key("شرکت"),
        search_key("تعاونیها"),
        search_key("لرستان"),
    ]
    assert search_tokens("") == []
    assert search_tokens(None) == []
    assert search_tokens(" - ، ") == []


def test_search_tokens_are_contained_in_record_key():
    record = search_key("شرکت تعاونی سرمایه‌گذاری کارکنان خرم‌آباد")
    for token in search_tokens("سرمايه گذاري  خرماباد"):
        assert token in record


@given(st.text())
def test_search_key_idempotent(s):
    key = search_key(s)
    assert search_key(key) == key


PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
words = st.text(alphabet=PERSIAN_LETTERS, min_size=1, max_size=15)


@st.composite
def typed_variant(draw):
    word = draw(words)
    chars = []
    for ch in word:
        if ch == "ی" and draw(st.booleans()):
            ch = "ي"
        elif ch == "ک" and draw(st.booleans()):
            ch = "ك"
        chars.append(ch)
        chars.append(draw(st.sampled_from(["", "", "", ZWNJ, " ", "\u00a0"])))
    return word, "".join(chars)


@given(typed_variant())
def test_search_key_insensitive_to_spacing_and_arabic_letters(pair):
    word, variant = pair
    assert search_key(variant) == search_key(word)


# --- has_markup -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "تعاونی <b>برتر</b>",
        "</div>",
        "<!-- x -->",
        "<img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java\tscript:alert(1)",
    ],
)
def test_has_markup_true(text):
    assert has_markup(text)


@pytest.mark.parametrize(
    "text",
    ["شرکت تعاونی «امید»", "a < b", "۳ < ۵", "تعاونی ۲>۱", "", None, "AT&T"],
)
def test_has_markup_false(text):
    assert not has_markup(text)


# --- numbers in search keys ---------------------------------------------------------


@pytest.mark.parametrize(
    ("separated", "joined"),
    [
        ("شماره ۱ ۲", "شماره ۱۲"),
        ("۱-۲", "۱۲"),
        ("فاز ۱/۲", "فاز ۱۲"),
        ("۲٫۵ هکتاری", "۲۵ هکتاری"),  # U+066B Arabic decimal separator
        ("۲.۵ هکتاری", "۲۵ هکتاری"),
        ("۱٬۲۰۰ واحدی", "۱۲۰۰ واحدی"),  # U+066C
        ("۱،۲", "۱۲"),  # Arabic comma
        ("1, 2", "12"),
        ("1_2", "12"),
        ("۱" + ZWNJ + "۲", "۱۲"),
        ("۱\u200d۲", "۱۲"),  # ZWJ is read as ZWNJ
        ("۱\u00a0۲", "۱۲"),
        ("(۱) (۲)", "۱۲"),
    ],
)
def test_search_key_keeps_separated_numbers_apart(separated, joined):
    assert search_key(separated) != search_key(joined)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("شماره ۱ ۲", "شماره1.2"),
        ("۱-۲", "1.2"),
        ("فاز ۱/۲", "فاز1.2"),
        ("۲٫۵ هکتاری", "2.5هکتاری"),
        ("۱ - ۲ - ۳", "1.2.3"),
        ("«۱»، «۲»", "1.2"),
        ("۱" + ZWNJ + "۲", "1.2"),
        ("شماره ۱۲", "شماره12"),
        ("v1.2", "v1.2"),
    ],
)
def test_search_key_number_separator(text, key):
    assert search_key(text) == key


def test_search_key_digits_next_to_letters_unchanged():
    assert search_key("شماره۱۲") == search_key("شماره ۱۲") == "شماره12"
    assert search_key("۱۲ب") == search_key("۱۲ - ب") == "12ب"
    assert search_key("تعاونی ۱۲، زاگرس") == "تعاونی12زاگرس"
    assert search_key("۱ الف ۲") == "1الف2"
    assert search_key("۱۲-") == search_key("-۱۲") == "12"


def test_search_key_number_separator_takes_fast_path():
    from taavon.persian.normalize import _STABLE_KEY

    for text in ("شماره ۱ ۲", "فاز ۱/۲", "۲٫۵ هکتاری", "۱ - ۲ - ۳"):
        key = search_key(text)
        assert "." in key, key
        assert _STABLE_KEY.fullmatch(key), key
        assert search_key(key) == key


def test_search_tokens_with_separated_numbers():
    assert search_tokens("فاز ۱/۲") == ["فاز", "1.2"]
    assert search_tokens("۲٫۵ هکتاری") == ["2.5", "هکتاری"]
    assert search_tokens("۱" + ZWNJ + "۲") == ["1", "2"]
    record = search_key("تعاونی مسکن فاز ۱/۲ زاگرس")
    for token in search_tokens("مسکن فاز ۱/۲"):
        assert token in record
    assert search_tokens("فاز ۱۲")[1] not in record


def test_normalize_zwnj_between_digits_becomes_a_space():
    assert normalize_text("۱" + ZWNJ + "۲") == "1 2"
    assert normalize_text("۱۲" + ZWNJ + "ها") == "12ها"


@given(st.text(alphabet="12۳٫٬/-., _" + ZWNJ + "\u200dابژa\u200f"))
def test_search_key_idempotent_with_numbers(s):
    key = search_key(s)
    assert search_key(key) == key
    # the separator stands only between two digits
    for i, ch in enumerate(key):
        if ch == ".":
            assert 0 < i < len(key) - 1 and key[i - 1].isdigit() and key[i + 1].isdigit(), key


# --- heh variants -----------------------------------------------------------------


def test_heh_variants_fold_to_heh():
    assert normalize_text("ھمت") == "همت"  # U+06BE heh doachashmee
    assert normalize_text("کوە") == "کوه"  # U+06D5 Arabic letter ae
    assert normalize_text("\ufbaaمت") == "همت"  # presentation form of U+06BE
    assert search_key("ھمت") == search_key("همت") == "همت"
    assert search_key("تعاونی ھمت کوە") == search_key("تعاوني همت کوه")


def _normalize_reference(s):
    """normalize_text as first written (one translate per map, every regex on every text): the faster version
    (one translate, the half-space passes only when there is a half-space, str.split for the spaces) must agree."""
    import re
    import unicodedata

    from taavon.persian.digits import to_ascii_digits
    from taavon.persian.normalize import _CHAR_MAP, _STRAY_ZWNJ, _ZWNJ_BETWEEN_DIGITS, _ZWNJ_RUN, ZWNJ

    if not s:
        return ""
    text = unicodedata.normalize("NFKC", str(s)).translate(_CHAR_MAP)
    text = to_ascii_digits(text)
    text = _ZWNJ_RUN.sub(ZWNJ, text)
    text = _ZWNJ_BETWEEN_DIGITS.sub(" ", text)
    text = _STRAY_ZWNJ.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


_NAME_CHARS = st.sampled_from(
    list("تعاونی زاگرس‌كيۀة۱۲٣4 \t\n\u00a0\u200d\u200b\u200e\u064e\u0640ـ‌-/.")
    + ["\u2066", "\u202a", "\ufeff", "\x1c", "\u3000", "\u2028"]
)


@given(st.one_of(st.text(), st.text(alphabet=_NAME_CHARS)))
def test_normalize_text_agrees_with_its_reference(s):
    assert normalize_text(s) == _normalize_reference(s)
