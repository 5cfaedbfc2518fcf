"""Sizes read in the unit that keeps the figure short (`wording.byte_size`): `0 bytes`, `1.5 KiB`, `512 MiB`, never
`0.0 MiB` for a few hundred bytes nor `1.02e+03 KiB` just under a MiB."""

from __future__ import annotations

import pytest

from flowlike_core import wording


@pytest.mark.parametrize(("count", "words"), [
    (0, "0 bytes"), (1, "1 byte"), (512, "512 bytes"), (999, "999 bytes"), (1000, "0.977 KiB"), (1536, "1.5 KiB"),
    (10_000, "9.77 KiB"), (2**20 - 1, "1 MiB"), (3 * 2**19, "1.5 MiB"), (512 * 2**20, "512 MiB"),
    (2**30, "1 GiB"), (3 * 2**40, "3 TiB"), (2**50, "1,024 TiB"),
])
def test_a_size_reads_in_the_unit_that_fits(count: int, words: str) -> None:
    assert wording.byte_size(count) == words
