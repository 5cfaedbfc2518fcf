"""Vector math on float arrays (numpy). Pairwise nodes need vectors of one length and say so otherwise."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from flowlike_catalog.std.extra import extra

from flowlike_core import Pin, node

if TYPE_CHECKING:
    import numpy as np

CATEGORY = "Utils/Math/Vector"

Vector = list[float]
V1 = Annotated[Vector, Pin("Vector 1")]
V2 = Annotated[Vector, Pin("Vector 2")]
VectorOut = Annotated[Vector, Pin("Vector", name="result_vector")]


def pair(vector1: Vector, vector2: Vector, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Both vectors as float arrays of one length, or an error naming the operation and the lengths."""
    np = extra("numpy")
    if len(vector1) != len(vector2):
        raise ValueError(f"{what} needs vectors of one length, got {len(vector1)} and {len(vector2)}")
    return np.asarray(vector1, dtype=float), np.asarray(vector2, dtype=float)


@node(friendly_name="Addition")
def float_vector_addition(vector1: V1 = None, vector2: V2 = None) -> VectorOut:
    """The element-wise sum."""
    a, b = pair(vector1, vector2, "vector addition")
    return (a + b).tolist()


@node(friendly_name="Subtraction")
def float_vector_subtraction(vector1: V1 = None, vector2: V2 = None) -> VectorOut:
    """Vector 1 minus Vector 2, element-wise."""
    a, b = pair(vector1, vector2, "vector subtraction")
    return (a - b).tolist()


@node(friendly_name="Multiplication")
def float_vector_multiplication(vector1: V1 = None, vector2: V2 = None) -> VectorOut:
    """The element-wise (Hadamard) product."""
    a, b = pair(vector1, vector2, "vector multiplication")
    return (a * b).tolist()


@node(friendly_name="Dot Product")
def float_vector_dot_product(vector1: V1 = None, vector2: V2 = None) -> Annotated[float, Pin(name="result")]:
    """The sum of the element-wise products."""
    a, b = pair(vector1, vector2, "the dot product")
    return float(a @ b)


@node(friendly_name="Cross Product")
def float_vector_cross_product(vector1: V1 = None, vector2: V2 = None) -> VectorOut:
    """The cross product of two 3D vectors; of two 2D vectors, its z component as a one-element vector."""
    np = extra("numpy")
    a, b = pair(vector1, vector2, "the cross product")
    if len(a) not in (2, 3):
        raise ValueError(f"the cross product needs 2D or 3D vectors, got {len(a)}D")
    if len(a) == 2:
        return [float(a[0] * b[1] - a[1] * b[0])]
    return np.cross(a, b).tolist()


@node(friendly_name="Cosine Similarity")
def float_vector_cosine_similarity(vector1: V1 = None, vector2: V2 = None) -> Annotated[
        float, Pin(name="similarity")]:
    """The cosine of the angle between the vectors, from -1 (opposite) to 1 (same direction)."""
    np = extra("numpy")
    a, b = pair(vector1, vector2, "cosine similarity")
    norms = float(np.linalg.norm(a) * np.linalg.norm(b))
    if norms == 0:
        raise ValueError("cosine similarity is undefined for a zero vector")
    return float(a @ b) / norms


@node(friendly_name="Normalize")
def float_vector_normalize(vector: Vector = None) -> Annotated[Vector, Pin(name="normalized_vector")]:
    """The vector scaled to length 1."""
    np = extra("numpy")
    v = np.asarray(vector, dtype=float)
    norm = float(np.linalg.norm(v))
    if norm == 0:
        raise ValueError("cannot normalize a zero (or empty) vector")
    return (v / norm).tolist()
