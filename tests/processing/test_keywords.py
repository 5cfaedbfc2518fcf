"""RAKE and YAKE keywords, with yake's stop-word lists and language detection."""

from __future__ import annotations

import pytest
from flowlike_catalog.processing import keywords as k

ABSTRACT = ("Compatibility of systems of linear constraints over the set of natural numbers. Criteria of "
            "compatibility of a system of linear Diophantine equations, strict inequations, and nonstrict "
            "inequations are considered. Upper bounds for components of a minimal set of solutions and algorithms "
            "of construction of minimal generating sets of solutions for all types of systems are given.")


def test_rake_scores_degree_over_frequency():
    # fast: degree 6 / frequency 3 = 2, cars 4/2 = 2, roads 2/1 = 2, expensive 1/1 = 1
    text = "Fast cars need fast roads. Fast cars are expensive."
    assert k.rake(text, k.language_stop_words("en")) == ["fast cars", "fast roads", "expensive"]
    assert k.ai_processing_rake_extraction.func(text, "en", None, 2.0, 0) == ["fast cars", "fast roads"]


def test_rake_finds_the_multi_word_terms_of_the_classic_abstract():
    assert k.ai_processing_rake_extraction.func(ABSTRACT, "auto", None, 0.0, 3) == [
        "linear diophantine equations", "minimal generating sets", "linear constraints"]


def test_extra_stop_words_split_phrases():
    text = "Fast cars need fast roads."
    assert k.ai_processing_rake_extraction.func(text, "en", {"Cars"}, 0.0, 0) == ["fast roads", "fast"]


def test_auto_detects_the_language_from_stop_words():
    german = "Die Katze sitzt auf der Matte und schläft den ganzen Tag, weil sie müde ist."
    assert k.detect_language(german) == "de"
    assert k.detect_language(ABSTRACT) == "en"
    assert k.ai_processing_rake_extraction.func(german, "auto", None, 0.0, 0) == ["katze sitzt", "matte", "müde",
                                                                                    "schläft"]


def test_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match=r"language 'xx' has no stop-word list; known: auto, "):
        k.ai_processing_rake_extraction.func("text", "xx", None, 0.0, 0)


def test_yake_ranks_the_abstracts_terms():
    assert k.ai_processing_yake_extraction.func(ABSTRACT, "auto", 2, 5, 0.9) == [
        "natural numbers", "linear constraints", "linear Diophantine", "Diophantine equations", "Compatibility"]
    assert k.ai_processing_yake_extraction.func("", "en", 2, 5, 0.9) == []


def test_yake_single_words_only_with_one_gram():
    assert all(" " not in w for w in k.ai_processing_yake_extraction.func(ABSTRACT, "en", 1, 8, 0.9))
