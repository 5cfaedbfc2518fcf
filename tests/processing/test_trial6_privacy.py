"""PII masking of names written in their own letters (trial 6): German, Scandinavian and internationalised
addresses are e-mail addresses too."""

from __future__ import annotations

import pytest
from flowlike_catalog.processing.privacy import processing_pii_mask_regex


@pytest.mark.parametrize("address", ["jörg.müller@beispiel.de", "åsa@smörgås.se", "用户@例子.中国",
                                     "ann_lee+tag@example.co.uk"])
def test_an_address_in_any_letters_is_masked_whole(address: str) -> None:
    masked = processing_pii_mask_regex.func(f"Schreib an {address}, danke.")
    assert masked.masked_text == f"Schreib an {'*' * len(address)}, danke."
    assert [(d.kind, d.text) for d in masked.detections] == [("email", address)]
