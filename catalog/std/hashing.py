"""Hashes of any value: BLAKE3 (cryptographic) and XXH3 (fast, non-cryptographic).

A value is hashed as its compact JSON text with sorted keys (UTF-8), so equal values hash alike on every
machine; BLAKE3 digests match Flow-Like's for the same JSON.
"""

from __future__ import annotations

import json
import random
from typing import Annotated, Any

from flowlike_catalog.std.extra import extra

from flowlike_core import Pin, node
from flowlike_core.types import to_json_native

CATEGORY = "Utils/Hash"


def canonical_bytes(value: Any) -> bytes:
    return json.dumps(to_json_native(value), separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


@node(friendly_name="Blake3 Hash", exec_pins=True)
def utils_hash_blake3(input: Annotated[Any, Pin("Value")] = None) -> Annotated[str, Pin(name="hash")]:
    """The BLAKE3 digest of the value, as 64 hex digits."""
    return extra("blake3").blake3(canonical_bytes(input)).hexdigest()


@node(friendly_name="AHash", exec_pins=True, cacheable=False)
def utils_hash_ahash(input: Annotated[Any, Pin("Value")] = None,
                     consistent: Annotated[bool, Pin(description="Use the seed; off draws a new seed each time")]
                     = True, seed: int = 1234) -> Annotated[int, Pin(name="hash")]:
    """A fast non-cryptographic 64-bit hash of the value (XXH3 here, where Flow-Like uses aHash: the numbers
    differ from Flow-Like's), as a signed integer. Consistent with one seed, it is stable across runs."""
    seed = seed % 2**64 if consistent else random.getrandbits(64)
    digest = extra("xxhash").xxh3_64_intdigest(canonical_bytes(input), seed=seed)
    return digest - 2**64 if digest >= 2**63 else digest
