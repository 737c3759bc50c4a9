"""One alphabet, one draw, one normaliser for pickup and booking codes."""

import secrets

import pytest

from core import codes


def test_a_drawn_code_has_the_length_asked_for_and_only_unambiguous_characters():
    # when
    drawn = [codes.draw(8) for _ in range(200)]
    # then
    assert all(len(code) == 8 for code in drawn)
    assert set("".join(drawn)) <= set(codes.ALPHABET)
    assert not set("0O1IL") & set(codes.ALPHABET)


def test_a_code_spelling_a_blocked_word_is_drawn_again(monkeypatch):
    # given: the random source first spells FUCK in the code, then something clean
    letters = iter("AFUCKBCD" + "ABCDEFGH")
    monkeypatch.setattr(secrets, "choice", lambda alphabet: next(letters))
    # when
    code = codes.draw(8)
    # then
    assert code == "ABCDEFGH"


def test_blocked_words_are_found_in_both_scripts_letters_and_spelled_with_digits():
    # then
    assert not codes.is_clean("K7FUCK2X")  # English
    assert not codes.is_clean("X2TMD9QR")  # pinyin: 他妈的
    assert not codes.is_clean("AB5BXY")  # pinyin SB, in the alphabet's letters
    assert not codes.is_clean("Q58WXY")  # SB spelled 5 8
    assert not codes.is_clean("4559KR")  # ASS spelled 4 5 5
    assert codes.is_clean("K7P3XW")


@pytest.mark.parametrize(
    "code",
    ["CNM7XK", "K2NMSQ", "RNM8PA", "TNND3X", "WQNMD9", "X7NND2", "GUN4KK", "MMP5XY", "BJ2XYZ"],
)
def test_pinyin_insults_are_blocked(code):
    assert not codes.is_clean(code)


def test_words_with_letters_outside_the_alphabet_can_never_be_drawn():
    # SHIT, NMSL, MLGB (I, L, O, 0 and 1 are not in the alphabet)
    for word in ("SHIT", "NMSL", "MLGB", "CAO", "250"):
        assert any(ch not in codes.ALPHABET for ch in word), word


def test_no_drawn_code_contains_a_blocked_word():
    # when
    drawn = [codes.draw(6) for _ in range(3000)]
    # then
    assert all(codes.is_clean(code) for code in drawn)
    assert not any(word in code for code in drawn for word in codes.BLOCKED)


def test_a_stable_code_is_the_same_every_time_and_clean():
    # when
    first, again = codes.stable("demo", 1, length=8), codes.stable("demo", 1, length=8)
    # then
    assert first == again and len(first) == 8 and codes.is_clean(first)
    assert codes.stable("demo", 2, length=8) != first


def test_normalise_ignores_case_spaces_dashes_and_full_width_characters():
    # then
    assert codes.normalise(" k7p-3xw ") == "K7P3XW"
    assert codes.normalise("ｋ７ｐ　３ｘｗ") == "K7P3XW"  # a Chinese keyboard's full width
    assert codes.normalise("abcd efgh") == "ABCDEFGH"
    assert codes.normalise(None) == ""
    assert codes.normalise("取货码") == ""


def test_normalise_reads_the_code_out_of_a_scanned_check_in_url():
    # then
    assert codes.normalise("https://example.org/vendor/check-in/?code=abcd-efgh") == "ABCDEFGH"


def test_normalise_keeps_a_bounded_length():
    # then
    assert len(codes.normalise("A" * 10_000)) == codes.MAX_TYPED
