"""PII Mask (Regex) options naming a kind that does not exist fail naming it, where the kind was ignored without a
word: {"emial": false} kept masking e-mail addresses, {"phone_number": false} phone numbers."""

from __future__ import annotations

import pytest
from pack_builder import Builder

from flowlike_core.run import RunStatus


@pytest.mark.parametrize("kind", ["emial", "phone_number"])
def test_an_option_of_no_kind_is_named(kind) -> None:
    from flowlike_catalog.processing import PACK

    board = Builder(PACK)
    node = board.add("processing_pii_mask_regex", text="Mail ada@example.org or call +49 30 1234567")
    board.feed(node, options={kind: False})
    board.chain(board.add("events_simple"), node)
    run = board.board.run(registry=board.registry, variables=board.values)
    assert run.status is RunStatus.FAILED, run.logs()
    assert f"input 'options' is not a valid PiiDetectionOptions: field '{kind}': Extra inputs are not permitted" \
        in run.error, run.error
