"""The std pack: events, control flow, variables, logging, math, logic, strings, collections, structs."""

from flowlike_catalog.std import control, events, log, loops, maths, variables

from flowlike_core.registry import Pack

PACK = Pack(
    "std",
    [*events.NODES, *control.NODES, *loops.NODES, *variables.NODES, *log.NODES, *maths.NODES],
    "Standard nodes every board needs",
)
