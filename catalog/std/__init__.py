"""The std pack: events, control flow, variables, logging, math, logic, strings, collections, structs."""

from flowlike_core.registry import Pack

PACK = Pack("std", [], "Standard nodes every board needs")
