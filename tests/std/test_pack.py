"""The pack as a whole: found through the entry point, every node documented, keys stable."""

from __future__ import annotations

import json

from flowlike_catalog.std import PACK

from flowlike_core import Registry, default_registry

# Others build boards on these keys: renaming one breaks their files.
STABLE_KEYS = {
    "events_simple", "events_generic", "events_generic_return_result",
    "control_branch", "control_sequence", "control_for_each", "control_for_each_with_break", "control_while_loop",
    "control_do_n", "control_do_once", "control_flip_flop", "control_gate", "control_gather", "control_par_execution",
    "control_timeout", "reroute", "reroute_data", "delay",
    "variable_get", "variable_set", "log_info", "log_warning", "log_error",
    "int_add", "int_subtract", "int_multiply", "int_divide", "int_modulo", "int_less_than", "int_random_in_range",
    "float_add", "float_multiply", "float_divide", "float_less_than", "float_random_in_range",
    "bool_and", "bool_or", "bool_not", "bool_xor",
    "string_concat", "string_format", "string_split", "string_join", "string_replace", "string_regex_match",
    "string_regex_find_all", "string_to_upper", "string_length", "string_contains",
    "make_array", "construct_array", "array_get", "array_push", "array_length", "array_slice",
    "make_map", "map_get", "map_set", "map_keys", "make_set", "insert", "set_has", "set_to_array",
    "struct_make", "struct_get", "struct_set", "struct_has", "parse_with_schema",
    "val_to_string", "val_to_json", "val_from_string", "string_to_int", "string_to_float", "int_to_float",
    "float_to_int",
}


def test_pack_is_installed_through_the_entry_point():
    registry = default_registry()
    for node_type in PACK.nodes:
        assert registry.get(node_type.name) is node_type
        assert node_type.pack == "std"


def test_keys_are_unique_and_stable():
    keys = [node_type.name for node_type in PACK.nodes]
    assert len(keys) == len(set(keys))
    assert not STABLE_KEYS - set(keys)


def test_every_node_is_documented_and_describable():
    for node_type in PACK.nodes:
        entry = node_type.describe()
        assert entry["friendly_name"] and entry["friendly_name"] != entry["name"], entry["name"]
        assert entry["description"].endswith("."), entry["name"]
        assert entry["category"], entry["name"]
        json.dumps(entry)
        node = node_type.create()
        assert node.name == node_type.name


def test_loops_and_events_are_what_they_say():
    registry = Registry([PACK])
    assert registry.get("events_simple").is_event and registry.get("events_generic").is_event
    assert registry.get("int_add").is_pure() and registry.get("variable_get").is_pure()
    assert not registry.get("control_for_each").is_pure()
    assert [t.name for t in registry.search("for each")][:2] == ["control_for_each", "control_for_each_with_break"]
