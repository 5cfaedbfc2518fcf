"""The std pack: events, control flow, variables, logging, math, logic, strings, collections, structs."""

from flowlike_catalog.std import (
    arrays,
    control,
    conversions,
    events,
    floats,
    integers,
    log,
    logic,
    loops,
    maps,
    sets,
    strings,
    structs,
    variables,
)

from flowlike_core import Pack

PACK = Pack(
    "std",
    modules=[events, control, loops, variables, log, integers, floats, logic, strings, arrays, maps, sets, structs,
             conversions],
    description="Standard nodes every board needs",
)
