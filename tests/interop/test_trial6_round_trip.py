"""Trial 6: a hand-written Flow-Like board opens from each form Flow-Like writes, runs, and goes back as it came."""

from __future__ import annotations

import copy
import json

import pytest
from flowlike_json import board_bytes
from test_trial4_round_trip import settled
from trial6_boards import LOGGED, trial_board

from flowlike_core.interop import open_board
from flowlike_core.interop.formats import write_board
from flowlike_core.interop.mapping import board_to_flowlike

BOARD = trial_board()
FORMS = {
    "serde JSON": lambda fl: json.dumps(fl).encode(),
    ".board": board_bytes,
    "clipboard": lambda fl: json.dumps({"nodes": list(fl["nodes"].values()), "comments": list(fl["comments"].values()),
                                        "layers": list(fl["layers"].values()),
                                        "variables": list(fl["variables"].values())}).encode(),
}


@pytest.fixture(params=list(FORMS))
def opened(request, registry):
    fl = copy.deepcopy(BOARD)
    board, report = open_board(FORMS[request.param](fl), registry)
    return fl, board, report


def test_it_opens_without_losing_a_pin_or_a_wire_and_runs(opened, registry):
    fl, board, report = opened
    assert not report.of("pin-dropped") and not report.of("wire-dropped") and not report.of("default-dropped")
    assert len(board.connections) == 29
    assert [p for p in board.validate(registry) if p.severity == "error"] == []
    run = board.run(start="start", registry=registry)
    assert run.ok, run.error
    assert [line.message for line in run.logs()] == LOGGED


def test_export_gives_flowlike_the_board_it_had(opened, registry):
    fl, board, _ = opened
    back = settled(json.loads(json.dumps(board_to_flowlike(board, registry))))
    before = settled(copy.deepcopy(fl))
    for node_id, node in before["nodes"].items():
        out = back["nodes"][node_id]
        assert set(out["pins"]) == set(node["pins"]), node_id
        for pin_id, pin in node["pins"].items():
            for key in ("name", "pin_type", "data_type", "value_type", "depends_on", "connected_to"):
                assert out["pins"][pin_id].get(key) == pin.get(key), (pin_id, key)
            if "default_value" in pin:
                assert out["pins"][pin_id]["default_value"] == pin["default_value"], pin_id
        assert (out["coordinates"], out.get("layer"), out["name"]) == (node["coordinates"], node.get("layer"),
                                                                       node["name"])
    assert back["variables"] == before["variables"]
    assert {k: (v["name"], v.get("parent_id")) for k, v in back["layers"].items()} == \
        {k: (v["name"], v.get("parent_id")) for k, v in before["layers"].items()}
    assert back["comments"] == before["comments"]


def test_import_export_import_is_the_identity(opened, registry):
    _, board, first = opened
    again, report = open_board(write_board(board_to_flowlike(board, registry)), registry)
    assert again == board
    assert sorted(e.message for e in report.entries) == sorted(e.message for e in first.entries)
