"""A node of a notebook whose code draws random numbers or reads the clock is not served from the cache: its result
changes between runs (`flowlike_core.fingerprint.chance_calls`); a seeded generator or a sleep is no reason."""

from __future__ import annotations

import sys
import types

import flowlike_nb as fnb

NOTEBOOK_CELLS = '''
import datetime
import random
import time
from random import random as draw

import numpy as np

import flowlike_nb as fnb

@fnb.node(name="cache_test_noise")
def noise(n: int = 3) -> list[float]:
    return [random.random() for _ in range(n)]

@fnb.node(name="cache_test_draw")
def drawn(n: int = 3) -> list[float]:
    return [draw() for _ in range(n)]

@fnb.node(name="cache_test_np_noise")
def np_noise(n: int = 3) -> list[float]:
    return np.random.rand(n).tolist()

def now_text(label):
    return f"{label} {datetime.datetime.now().isoformat()}"

@fnb.node(name="cache_test_stamp")
def stamp(label: str = "x") -> str:
    return now_text(label)

@fnb.node(name="cache_test_seeded")
def seeded(n: int = 3) -> list[float]:
    return np.random.default_rng(7).random(n).tolist()

@fnb.node(name="cache_test_waits")
def waits(n: int = 3) -> int:
    time.sleep(0)
    return n
'''
NODES = {"noise": True, "draw": True, "np_noise": True, "stamp": True, "seeded": False, "waits": False}
"""Node (type cache_test_NODE) -> whether its result changes between runs."""


def test_notebook_nodes_drawing_random_numbers_or_reading_the_clock_always_run() -> None:
    notebook = types.ModuleType("cache_test_chance_notebook")
    sys.modules[notebook.__name__] = notebook
    try:
        exec(NOTEBOOK_CELLS, notebook.__dict__)
        board = fnb.Board("chance")
        previous = board.add("events_simple", "start").outputs.exec_out
        for name in NODES:
            made = board.add(f"cache_test_{name}", name)
            text = board.add("val_to_string", f"{name}_text")
            say = board.add("log_info", f"{name}_say")
            made.outputs.result >> text.inputs.value
            text.outputs.string >> say.inputs.message
            previous >> say.inputs.exec_in
            previous = say.outputs.exec_out
        first, second = board.run(), board.run()
        for name, changes in NODES.items():
            why = second.why(name)
            assert why.cached is not changes, why.text
            assert (first.outputs[name]["result"] != second.outputs[name]["result"]) is changes
        assert "random.random" in second.why("noise").text and "cacheable=True" in second.why("noise").text
        assert "datetime.now" in second.why("stamp").text
    finally:
        del sys.modules[notebook.__name__]


PAYLOAD_CELL = '''
import flowlike_nb as fnb
from flowlike_core import Context

@fnb.node(name="cache_test_greet")
def greet(ctx: Context, greeting: str = "hi") -> str:
    return f"{greeting} {ctx.payload}"
'''


def test_a_notebook_node_reading_the_run_payload_always_runs() -> None:
    notebook = types.ModuleType("cache_test_payload_notebook")
    sys.modules[notebook.__name__] = notebook
    try:
        exec(PAYLOAD_CELL, notebook.__dict__)
        board = fnb.Board("payload")
        start = board.add("events_simple", "start")
        greet = board.add("cache_test_greet", "greet")
        say = board.add("log_info", "say")
        start.outputs.exec_out >> say.inputs.exec_in
        greet.outputs.result >> say.inputs.message
        assert board.run(payload="Ada").outputs.greet.result == "hi Ada"
        run = board.run(payload="Bob")
        assert run.outputs.greet.result == "hi Bob" and not run.why("greet").cached
        assert "payload" in run.why("greet").text
    finally:
        del sys.modules[notebook.__name__]
