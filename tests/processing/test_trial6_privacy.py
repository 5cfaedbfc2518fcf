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


def test_nodes_shared_with_flowlike_carry_its_names() -> None:
    """A Flow-Like user finds them in the palette under the names Flow-Like shows."""
    from importlib.metadata import entry_points

    from flowlike_core import Registry
    from flowlike_core.registry import ENTRY_POINT_GROUP

    registry = Registry(entries=entry_points(group=ENTRY_POINT_GROUP))
    names = {key: registry.get(key).friendly_name for key in (
        "processing_pii_mask_regex", "processing_pii_mask_ai", "ai_processing_extract_document_ai",
        "ai_processing_extract_documents_ai", "ai_processing_ai_keyword_extraction")}
    assert names == {"processing_pii_mask_regex": "PII Mask (Regex)", "processing_pii_mask_ai": "PII Mask (AI)",
                     "ai_processing_extract_document_ai": "AI Extract Document",
                     "ai_processing_extract_documents_ai": "AI Extract Documents",
                     "ai_processing_ai_keyword_extraction": "AI Keywords"}
