"""Vector math on float arrays."""

from __future__ import annotations

import math

import pytest
from flowlike_catalog.std.vectors import (
    float_vector_addition,
    float_vector_cosine_similarity,
    float_vector_cross_product,
    float_vector_dot_product,
    float_vector_multiplication,
    float_vector_normalize,
    float_vector_subtraction,
)


def test_element_wise_operations():
    assert float_vector_addition.func([1.0, 2.0], [3.0, 4.5]) == [4.0, 6.5]
    assert float_vector_subtraction.func([1.0, 2.0], [3.0, 4.5]) == [-2.0, -2.5]
    assert float_vector_multiplication.func([1.0, 2.0], [3.0, 4.5]) == [3.0, 9.0]
    assert float_vector_dot_product.func([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]) == 32.0


def test_cross_product_in_3d_and_2d():
    assert float_vector_cross_product.func([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]) == [0.0, 0.0, 1.0]
    assert float_vector_cross_product.func([2.0, 3.0], [4.0, 5.0]) == [2 * 5 - 3 * 4]
    with pytest.raises(ValueError, match="2D or 3D vectors, got 4D"):
        float_vector_cross_product.func([1.0] * 4, [1.0] * 4)


def test_cosine_similarity_and_normalize():
    assert float_vector_cosine_similarity.func([1.0, 0.0], [0.0, 2.0]) == 0.0
    assert float_vector_cosine_similarity.func([1.0, 1.0], [2.0, 2.0]) == pytest.approx(1.0)
    assert float_vector_cosine_similarity.func([1.0, 0.0], [-3.0, 0.0]) == pytest.approx(-1.0)
    assert float_vector_normalize.func([3.0, 4.0]) == [0.6, 0.8]
    assert math.hypot(*float_vector_normalize.func([1.0, 2.0, 2.0])) == pytest.approx(1.0)


def test_bad_vectors_say_what_is_wrong():
    with pytest.raises(ValueError, match="vector addition needs vectors of one length, got 2 and 3"):
        float_vector_addition.func([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="zero vector"):
        float_vector_cosine_similarity.func([0.0, 0.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="cannot normalize a zero"):
        float_vector_normalize.func([])


def test_vectors_on_a_board(b):
    assert b.compute("float_vector_dot_product", "result", vector1=[1.0, 2.0], vector2=[3.0, 4.0]) == 11.0
