"""The typo tolerance of the site search (core.search): the distance, the
edits one away, and which of them a word is corrected to. Pure functions on a
given vocabulary; the search itself (on SQLite and PostgreSQL) is
tests/portal/test_search.py."""

import itertools

import pytest

from core import search
from core.search import Vocabulary, candidates, distance, edits


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("tanghe", "tanghe", 0),
        ("tangeh", "tanghe", 1),  # two neighbours swapped
        ("chesnut", "chestnut", 1),  # a letter left out
        ("banlli", "banli", 1),  # a letter doubled
        ("banki", "banli", 1),  # a letter wrong
        ("tnageh", "tanghe", 2),  # two swaps
        ("", "abc", 3),
        ("abc", "", 3),
        ("ca", "abc", 3),  # optimal string alignment: no edit of a swapped pair
        ("kitten", "sitting", 3),
    ],
)
def test_distance(a, b, expected):
    assert distance(a, b) == expected
    assert distance(b, a) == expected


def test_edits_are_exactly_the_strings_one_away():
    # given a short word and a small alphabet, every string of nearby length
    word, alphabet = "abca", "abc"
    nearby = {
        "".join(letters)
        for length in (3, 4, 5)
        for letters in itertools.product(alphabet, repeat=length)
    }
    # when
    found = edits(word, alphabet)
    # then
    assert set(found) == {s for s in nearby if distance(word, s) == 1}
    assert found["baca"] == search.SAME_LENGTH  # swapped
    assert found["abcc"] == search.SAME_LENGTH  # substituted
    assert found["abcab"] == search.INSERTED
    assert found["aca"] == search.DELETED


def test_the_vocabulary_answers_by_bisection():
    vocabulary = Vocabulary.from_counts({"tanghe": 2, "tanghehongshu": 3, "trout": 1})
    assert "tanghe" in vocabulary and "tangh" not in vocabulary
    assert vocabulary.begins("tangh") and vocabulary.begins("trout")
    assert not vocabulary.begins("tangeh")
    assert vocabulary.frequency("tanghe") == 5
    assert vocabulary.frequency("t") == 6
    assert vocabulary.frequency("x") == 0
    # what the shared cache stores gives the same vocabulary back
    again = Vocabulary(*vocabulary.data())
    assert again.words == vocabulary.words and again.cumulative == vocabulary.cumulative


@pytest.mark.parametrize(
    ("word", "counts", "expected"),
    [
        # the beginning of a stored pinyin: the swap, not the insertion
        # (tangheh) nor the deletion (tangh), which would only repeat or widen it
        pytest.param("tangeh", {"tanghehongshu": 2}, ["tanghe"], id="beginning-of-pinyin"),
        pytest.param("chesnut", {"chestnuts": 2}, ["chestnut"], id="insertion"),
        pytest.param("banlli", {"banli": 2, "huairoubanli": 1}, ["banli"], id="deletion"),
        # a whole word before the beginning of one: trout, not roub(anli)
        pytest.param("rout", {"trout": 1, "roubanli": 4}, ["trout"], id="whole-word-first"),
        # a substitution before an insertion: pear, not pearl
        pytest.param("peer", {"pear": 1, "peerl": 9}, ["pear"], id="same-length-first"),
        # the most frequent first, at most three, then alphabetically
        pytest.param(
            "banx",
            {"bank": 5, "band": 3, "bang": 3, "bane": 1, "bans": 1},
            ["bank", "band", "bang"],
            id="most-frequent-first",
        ),
        # a beginning shorter than 4 letters is no correction (abc), a word is (abd)
        pytest.param("abcq", {"abcxyz": 1}, ["abcx"], id="beginnings-of-4-letters"),
        pytest.param("abdq", {"abd": 1}, ["abd"], id="short-whole-word"),
        pytest.param("zzzz", {"tanghe": 1}, [], id="nothing-near"),
        pytest.param("tnageh", {"tanghe": 1}, [], id="two-edits-away"),
    ],
)
def test_candidates(word, counts, expected):
    assert candidates(word, Vocabulary.from_counts(counts)) == expected


def test_only_long_words_of_letters_are_fuzzable():
    query = search.Query("tanghe bl 500g 板栗 chestnut5 ＣＨＥＳＴ")
    assert query.fuzzable == ["tanghe", "chest"]


def test_a_correction_keeps_the_other_words():
    vocabulary = Vocabulary.from_counts({"tanghehongshu": 1, "banli": 3, "bangli": 1})
    # when
    correction = search.Query("红薯 Tangeh banli")._correct(vocabulary)
    # then: the unknown word corrected, the Chinese run and the known word kept
    assert correction is not None
    assert correction.text == "红薯 tanghe banli"
    assert correction.terms == [
        ("bigram", ("红薯",)),
        ("word", ("tanghe",)),
        ("word", ("banli",)),
    ]


def test_no_correction_when_a_word_has_none_or_every_word_is_known():
    vocabulary = Vocabulary.from_counts({"tanghehongshu": 1, "trout": 1})
    assert search.Query("tangeh zzzzzz")._correct(vocabulary) is None
    assert search.Query("tanghe trout")._correct(vocabulary) is None
    assert search.Query("板栗")._correct(vocabulary) is None
