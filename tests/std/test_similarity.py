"""String similarity with Flow-Like's (strsim's) meanings: normalized distances and Jaro are similarities."""

from __future__ import annotations

import pytest
from flowlike_catalog.std.similarity import (
    damerau_levenshtein_distance,
    hamming_distance,
    jaro_distance,
    jaro_winkler_distance,
    levenshtein_distance,
    optimal_string_alignment_distance,
    sorensen_dice_coefficient,
)


def test_levenshtein_counts_edits_or_gives_the_normalized_similarity():
    assert levenshtein_distance.func("kitten", "sitting", False) == 3.0
    assert levenshtein_distance.func("kitten", "sitting", True) == pytest.approx(1 - 3 / 7)
    assert levenshtein_distance.func("", "", True) == 1.0


def test_damerau_counts_a_swap_as_one_edit_and_osa_edits_no_substring_twice():
    assert levenshtein_distance.func("ab", "ba", False) == 2.0
    assert damerau_levenshtein_distance.func("ab", "ba", False) == 1.0
    assert damerau_levenshtein_distance.func("ca", "abc", False) == 2.0
    assert optimal_string_alignment_distance.func("ca", "abc") == 3.0
    assert damerau_levenshtein_distance.func("abcd", "abdc", True) == pytest.approx(0.75)


def test_hamming_needs_equal_lengths():
    assert hamming_distance.func("karolin", "kathrin") == 3.0
    with pytest.raises(ValueError, match="one length, got 3 and 2"):
        hamming_distance.func("abc", "ab")


def test_jaro_and_jaro_winkler_are_similarities():
    assert jaro_distance.func("martha", "marhta") == pytest.approx(0.944444, abs=1e-6)
    assert jaro_winkler_distance.func("martha", "marhta") == pytest.approx(0.961111, abs=1e-6)
    assert jaro_distance.func("abc", "abc") == 1.0
    assert jaro_distance.func("abc", "xyz") == 0.0


def test_sorensen_dice_over_bigrams_without_whitespace():
    assert sorensen_dice_coefficient.func("night", "nacht") == pytest.approx(0.25)
    assert sorensen_dice_coefficient.func("a b", "ab") == 1.0
    assert sorensen_dice_coefficient.func("a", "b") == 0.0
    assert sorensen_dice_coefficient.func("aaaa", "aa") == pytest.approx(2 * 1 / 4)


def test_similarity_on_a_board(b):
    assert b.compute("levenshtein_distance", "distance", string1="flaw", string2="lawn", normalize=False) == 2.0
