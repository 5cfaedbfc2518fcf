"""PII masking with checked patterns (every kind, checksums, switches) and with a language model."""

from __future__ import annotations

import asyncio

import pytest
from flowlike_catalog.llm.testing import Reply
from flowlike_catalog.processing import privacy as p

EXAMPLES = {
    "email": "ann.lee@example.com", "phone": "+49 30 1234567", "url": "https://example.org/path?q=1",
    "ip_address": "2001:db8::1", "credit_card": "4111 1111 1111 1111", "iban": "DE89 3704 0044 0532 0130 00",
    "vat_eu": "DE123456789", "ssn": "123-45-6789", "german_tax_id": "86095742719", "ahv_swiss": "756.1234.5678.97",
    "svnr_austria": "1237 010180", "passport": "X1234567", "drivers_license": "D123-4567-8901",
    "address_us": "1600 Pennsylvania Avenue, Washington, DC 20500", "address_de": "Hauptstraße 5, 10115 Berlin",
    "postcode_uk": "SW1A 1AA", "postcode_de": "80331", "date": "March 15, 2024",
}
CONTEXT = {"passport": "Passport No: {}", "drivers_license": "Driver's license number: {}", "postcode_de": "{} München"}


def mask(text: str, **switches) -> p.Masked:
    defaults = {"options": None, "detect_email": True, "detect_phone": True, "detect_credit_card": True,
                "detect_iban": True, "detect_address": True, "detect_ssn": True, "detect_url": True,
                "detect_ip": True, "mask_char": "*", "preserve_length": True, "mask_text": "[REDACTED]"}
    return p.processing_pii_mask_regex.func(text, **{**defaults, **switches})


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_each_kind_is_found_and_masked(kind):
    value = EXAMPLES[kind]
    text = "Note: " + CONTEXT.get(kind, "{}").format(value) + " (end)"
    result = mask(text)
    assert [(d.kind, d.text) for d in result.detections] == [(kind, value)]
    assert result.masked_text == text.replace(value, "*" * len(value))
    assert result.detection_count == 1


@pytest.mark.parametrize("text", ["Card 4111 1111 1111 1112.", "IBAN DE89 3704 0044 0532 0130 01.",
                                  "Server 999.1.1.1 is down.", "AHV 756.1234.5678.98.", "Order 12345 shipped."])
def test_failed_checksums_and_bare_numbers_are_left_alone(text):
    assert mask(text).detections == []


def test_the_switches_and_the_options_both_decide():
    text = "Mail ann@example.com from 10.0.0.1"
    assert [d.kind for d in mask(text, detect_ip=False).detections] == ["email"]
    options = p.processing_pii_detection_options.func(email=False)
    assert [d.kind for d in mask(text, options=options).detections] == ["ip_address"]
    assert mask(text, options=options.model_copy(update={"ip_address": False})).detections == []


def test_replacement_text_when_the_length_is_not_kept():
    result = mask("Call +1 415 555 0100 or mail a@b.co", preserve_length=False, mask_text="<pii>")
    assert result.masked_text == "Call <pii> or mail <pii>"
    assert [(d.start, d.end) for d in result.detections] == [(5, 20), (29, 35)]


def test_a_mask_char_must_be_one_character():
    with pytest.raises(ValueError, match="mask_char must be one character"):
        mask("x", mask_char="**")


def test_the_model_finds_names_and_every_occurrence_is_masked(server, model):
    server.expect(Reply(tool_calls=[("extract", {"detections": [
        {"text": "Maria Keller", "kind": "name"}, {"text": "Lindenweg", "kind": "street"},
        {"text": "Atlantis", "kind": "place"}]})]))
    text = "Maria Keller lives at Lindenweg. Ask Maria Keller."
    result = asyncio.run(p.processing_pii_mask_ai.func(WarnCtx(), model, text, "[X]", "street names", "high"))
    assert result.masked_text == "[X] lives at [X]. Ask [X]."
    assert result.detection_count == 3
    hint = server.requests[0].body["messages"][0]["content"]
    assert "also employers" in hint and "Also: street names" in hint


def test_a_finding_that_is_not_in_the_text_is_a_warning(server, model):
    server.expect(Reply(tool_calls=[("extract", {"detections": [{"text": "Bob", "kind": "name"}]})]))
    ctx = WarnCtx()
    result = asyncio.run(p.processing_pii_mask_ai.func(ctx, model, "nobody here", "[X]", "", "low"))
    assert result.masked_text == "nobody here" and ctx.warnings == [
        "the model reported 'Bob' (name), which is not in the text"]


def test_an_unknown_sensitivity_is_refused(model):
    with pytest.raises(ValueError, match="sensitivity must be low, medium or high"):
        asyncio.run(p.processing_pii_mask_ai.func(WarnCtx(), model, "x", "[X]", "", "extreme"))


class WarnCtx:
    """What the AI masker uses of a Context: warn."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        self.warnings.append(message)


def test_a_card_number_that_is_switched_off_is_not_masked_as_a_phone():
    assert [d.kind for d in mask("Card 4222222222222").detections] == ["credit_card"]
    assert mask("Card 4222222222222", detect_credit_card=False).detections == []
