"""Hashes of values: BLAKE3 over canonical JSON bytes, XXH3 with a seed."""

from __future__ import annotations

import blake3
import xxhash
from flowlike_catalog.std.hashing import canonical_bytes, utils_hash_ahash, utils_hash_blake3


def test_values_hash_as_compact_json_with_sorted_keys():
    assert canonical_bytes({"b": [1, 2], "a": 1}) == b'{"a":1,"b":[1,2]}'
    assert canonical_bytes("é") == '"é"'.encode()
    assert canonical_bytes(b"\x01\x02") == b"[1,2]"


def test_blake3_digest_is_stable_and_ignores_key_order():
    expected = "831298d98ac98882c0732dd1477a44faf7b28bfb03052708ecb26f4a30b81fa8"
    assert blake3.blake3(b'{"a":1,"b":[1,2]}').hexdigest() == expected
    assert utils_hash_blake3.func({"b": [1, 2], "a": 1}) == expected
    assert utils_hash_blake3.func({"a": 1, "b": [1, 2]}) == expected
    assert utils_hash_blake3.func("abc") == "91d01d9c9b8a3c4e6eb3a6d4a9e81cd849af19489e08aaaf134ae0bf4097ac14"


def test_fast_hash_is_xxh3_with_the_seed_as_a_signed_64_bit_integer():
    assert utils_hash_ahash.func("abc", True, 1234) == xxhash.xxh3_64_intdigest(b'"abc"', seed=1234)
    assert utils_hash_ahash.func("abc", True, 1234) == 7881336776197216523
    assert utils_hash_ahash.func("abc", True, 1235) != utils_hash_ahash.func("abc", True, 1234)
    unsigned = xxhash.xxh3_64_intdigest(b"[1,2,3]", seed=0)
    assert utils_hash_ahash.func([1, 2, 3], True, 0) == (unsigned - 2**64 if unsigned >= 2**63 else unsigned)
    assert all(-(2**63) <= utils_hash_ahash.func(n, True, 7) < 2**63 for n in range(200))


def test_inconsistent_fast_hash_draws_a_new_seed():
    draws = {utils_hash_ahash.func("same", False, 1234) for _ in range(5)}
    assert len(draws) == 5


def test_hash_nodes_on_a_board(b):
    assert b.compute("utils_hash_blake3", "hash", input="abc") == \
        "91d01d9c9b8a3c4e6eb3a6d4a9e81cd849af19489e08aaaf134ae0bf4097ac14"
    assert b.compute("utils_hash_ahash", "hash", input="abc") == 7881336776197216523
