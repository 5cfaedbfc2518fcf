"""The std pack: events, control flow, variables, logging, math, logic, strings, collections, structs."""

from flowlike_catalog.std import (
    arrays,
    control,
    conversions,
    events,
    log,
    logic,
    loops,
    maps,
    maths,
    sets,
    strings,
    structs,
    variables,
)

from flowlike_core.registry import Pack

MODULES = (events, control, loops, variables, log, maths, logic, strings, arrays, maps, sets, structs, conversions)

PACK = Pack("std", [node for module in MODULES for node in module.NODES], "Standard nodes every board needs")
