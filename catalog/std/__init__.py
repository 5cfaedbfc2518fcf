"""The std pack: events, control flow, variables, logging, math, logic, strings, collections, structs, and the
utilities (dates, JSON, hashes, fake data, similarity, vectors, templates, notifications)."""

from flowlike_catalog.std import (
    a2ui_annotations,
    a2ui_charts,
    a2ui_elements,
    a2ui_geomap,
    a2ui_navigation,
    a2ui_scene,
    a2ui_surface,
    arrays,
    chat,
    control,
    conversions,
    cuid,
    dates,
    env,
    events,
    expressions,
    fakes,
    floats,
    hashing,
    integers,
    json_nodes,
    log,
    logic,
    loops,
    maps,
    markdown,
    notifications,
    references,
    sets,
    similarity,
    strings,
    structs,
    text,
    types,
    users,
    variables,
    vectors,
    widget_events,
)

from flowlike_core import Pack

PACK = Pack(
    "std",
    modules=[events, control, loops, variables, log, notifications, integers, floats, expressions, vectors, logic,
             strings, text, similarity, arrays, maps, sets, references, structs, conversions, types, json_nodes,
             dates, hashing, markdown, env, users, cuid, fakes, widget_events, chat, a2ui_surface, a2ui_elements,
             a2ui_charts, a2ui_annotations, a2ui_geomap, a2ui_scene, a2ui_navigation],
    description="Standard nodes every board needs",
)
