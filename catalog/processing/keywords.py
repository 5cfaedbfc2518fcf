"""Keyword extraction without a model: RAKE and YAKE, over the stop-word lists that the `yake` package ships.

RAKE (Rose et al., 2010) is short enough to write here: the RAKE packages on PyPI are unmaintained
(rake-nltk's last release is from 2021 and it downloads NLTK data at run time), so it is implemented below.
YAKE is the maintained `yake` library. 'auto' picks the stop-word list with the most hits in the text.
Both return keywords most relevant first (Flow-Like returns a set; an ordered list keeps the ranking).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from importlib import resources
from typing import Annotated

from flowlike_core import Pin, node

CATEGORY = "AI/Processing"
WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?|\d[\w.,]*|[^\w\s]", re.UNICODE)

Language = Annotated[str, Pin(description="Two-letter code (en, de, fr, es, it, pt, nl...) or auto")]
Keywords = Annotated[list[str], Pin(name="keywords", description="Most relevant first")]


@functools.cache
def _lists() -> dict[str, str]:
    folder = resources.files("yake.core") / "StopwordsList"
    return {entry.name[10:12]: entry.name for entry in folder.iterdir()
            if entry.name.startswith("stopwords_") and entry.name != "stopwords_noLang.txt"}


@functools.cache
def language_stop_words(language: str) -> frozenset[str]:
    """yake's stop-word list for a two-letter language code."""
    files = _lists()
    raw = (resources.files("yake.core") / "StopwordsList" / files[language]).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip())


def detect_language(text: str) -> str:
    """The language whose stop words occur most often in the text (English when none do)."""
    words = [w.lower() for w in WORD.findall(text) if w[0].isalpha()]
    scores = {code: sum(w in language_stop_words(code) for w in words) for code in _lists()}
    best = max(scores, key=lambda code: (scores[code], code == "en"))
    return best if scores[best] else "en"


def _language(language: str, text: str) -> str:
    """The two-letter code of the language pin ('english' reads as 'en'); one without a stop-word list fails naming
    the known ones (yake would take it silently, with no stop words: 'science and' came out as a keyword)."""
    code = (language or "auto").strip().lower()
    if code == "auto":
        return detect_language(text)
    if code[:2] not in _lists():
        raise ValueError(f"language {language!r} has no stop-word list; known: auto, {', '.join(sorted(_lists()))}")
    return code[:2]


def rake(text: str, stops: frozenset[str] | set[str], min_score: float = 0.0, max_keywords: int = 0) -> list[str]:
    """RAKE: candidate phrases are runs of words between stop words and punctuation; a word scores
    degree / frequency, a phrase the sum of its words' scores."""
    phrases: list[list[str]] = [[]]
    for token in WORD.findall(text):
        word = token.lower()
        if word in stops or not token[0].isalpha():
            if phrases[-1]:
                phrases.append([])
        else:
            phrases[-1].append(word)
    phrases = [p for p in phrases if p]
    frequency: dict[str, int] = defaultdict(int)
    degree: dict[str, int] = defaultdict(int)
    for phrase in phrases:
        for word in phrase:
            frequency[word] += 1
            degree[word] += len(phrase)
    scored: dict[str, float] = {}
    for phrase in phrases:
        key = " ".join(phrase)
        scored[key] = sum(degree[w] / frequency[w] for w in phrase)
    ranked = sorted((k for k, s in scored.items() if s >= min_score), key=lambda k: (-scored[k], k))
    return ranked[:max_keywords] if max_keywords > 0 else ranked


@node(friendly_name="RAKE Keywords")
def ai_processing_rake_extraction(
    text: str = "", language: Language = "auto",
    stop_words: Annotated[set[str], Pin(description="Extra stop words, on top of the language's")] = None,
    min_score: Annotated[float, Pin(description="Leave out phrases scoring lower")] = 0.0,
    max_keywords: Annotated[int, Pin(description="At most this many (0: all)")] = 0,
) -> Keywords:
    """Key phrases by RAKE (Rapid Automatic Keyword Extraction): multi-word phrases score high."""
    stops = language_stop_words(_language(language, text)) | {w.lower() for w in stop_words or ()}
    return rake(text, stops, min_score, max_keywords)


@node(friendly_name="YAKE Keywords")
def ai_processing_yake_extraction(
    text: str = "", language: Language = "auto",
    ngrams: Annotated[int, Pin(range=(1, 10), description="Longest phrase, in words")] = 2,
    max_keywords: Annotated[int, Pin(range=(1, 10_000))] = 10,
    dedup_threshold: Annotated[float, Pin(range=(0.0, 1.0), description="Similar phrases above this are merged")]
    = 0.9,
) -> Keywords:
    """Keywords by YAKE (statistical features of one text: position, frequency, casing, context)."""
    import yake

    if ngrams < 1:
        raise ValueError(f"ngrams must be at least 1 (words in the longest phrase), got {ngrams}")
    if max_keywords < 1:
        raise ValueError(f"max_keywords must be at least 1, got {max_keywords}")
    if not 0.0 <= dedup_threshold <= 1.0:
        raise ValueError(f"dedup_threshold must be between 0 and 1, got {dedup_threshold}")
    if not text.strip():
        return []
    extractor = yake.KeywordExtractor(lan=_language(language, text), n=ngrams, dedup_lim=dedup_threshold,
                                      top=max_keywords)
    return [keyword for keyword, _ in extractor.extract_keywords(text)]
