"""String similarity and edit distances (rapidfuzz), with Flow-Like's (strsim's) meanings.

Careful with the names, which follow Flow-Like: Jaro and Jaro-Winkler "distance" are similarities (1 means
equal), and a *normalized* Levenshtein or Damerau-Levenshtein "distance" is the similarity 1 - distance / the
longer length; without normalizing it is the plain edit count.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from flowlike_catalog.std.extra import extra

from flowlike_core import Pin, node

CATEGORY = "Utils/String/Similarity"

S1 = Annotated[str, Pin("String 1")]
S2 = Annotated[str, Pin("String 2")]
Normalize = Annotated[bool, Pin(description="Give the similarity 1 - distance / longer length instead of the "
                                            "edit count")]
Distance = Annotated[float, Pin(name="distance")]


def edits(metric: str, string1: str, string2: str, normalize: bool = False) -> float:
    """rapidfuzz's edit distance `metric` (`Levenshtein`, `OSA`...) between the strings, or with `normalize` the
    similarity 1 - distance / longer length."""
    measure = getattr(extra("rapidfuzz.distance"), metric)
    return measure.normalized_similarity(string1, string2) if normalize else float(measure.distance(string1, string2))


@node
def levenshtein_distance(string1: S1 = "", string2: S2 = "", normalize: Normalize = True) -> Distance:
    """Insertions, deletions and substitutions that turn one string into the other."""
    return edits("Levenshtein", string1, string2, normalize)


@node(friendly_name="Damerau-Levenshtein Distance")
def damerau_levenshtein_distance(string1: S1 = "", string2: S2 = "", normalize: Normalize = True) -> Distance:
    """Like Levenshtein, where swapping two neighbouring characters also counts as one edit (unrestricted)."""
    return edits("DamerauLevenshtein", string1, string2, normalize)


@node
def optimal_string_alignment_distance(string1: S1 = "", string2: S2 = "") -> Distance:
    """Damerau-Levenshtein restricted so that no substring is edited twice ("ca" to "abc" is 3, not 2)."""
    return edits("OSA", string1, string2)


@node
def hamming_distance(string1: S1 = "", string2: S2 = "") -> Distance:
    """The number of positions at which two strings of one length differ."""
    if len(string1) != len(string2):
        raise ValueError(f"the Hamming distance needs strings of one length, got {len(string1)} and {len(string2)}")
    return edits("Hamming", string1, string2)


@node
def jaro_distance(string1: S1 = "", string2: S2 = "") -> Distance:
    """The Jaro similarity: 1 for equal strings, 0 for strings with nothing in common."""
    Jaro = extra("rapidfuzz.distance").Jaro
    return Jaro.similarity(string1, string2)


@node(friendly_name="Jaro-Winkler Distance")
def jaro_winkler_distance(string1: S1 = "", string2: S2 = "") -> Distance:
    """The Jaro-Winkler similarity: Jaro, raised for a common prefix of up to 4 characters (weight 0.1)."""
    JaroWinkler = extra("rapidfuzz.distance").JaroWinkler
    return JaroWinkler.similarity(string1, string2)


def bigrams(text: str) -> Counter[str]:
    return Counter(text[i:i + 2] for i in range(len(text) - 1))


@node(friendly_name="Sørensen-Dice Coefficient")
def sorensen_dice_coefficient(string1: S1 = "", string2: S2 = "") -> Annotated[float, Pin(name="coefficient")]:
    """Shared character pairs (bigrams, whitespace ignored): 2 x shared / all pairs, 1 for equal strings."""
    first, second = "".join(string1.split()), "".join(string2.split())
    if first == second:
        return 1.0
    if len(first) < 2 or len(second) < 2:
        return 0.0
    shared = sum((bigrams(first) & bigrams(second)).values())
    return 2 * shared / (len(first) + len(second) - 2)
