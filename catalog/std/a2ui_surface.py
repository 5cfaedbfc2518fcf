"""A2UI surfaces: a board creates a surface with its components and data model, updates and deletes it, and adds
or removes elements in containers. Each node sends one A2UI message (`a2ui_document.emit`), the run's UI output."""

from __future__ import annotations

from typing import Annotated, Any

from flowlike_catalog.std.a2ui_document import A2UIError, document_of, emit, literal

from flowlike_core import Context, Pin, node

CATEGORY = "UI/Surface"
CACHEABLE = False


def component_of(component_id: str, component_type: str, props: Any, style: Any = None) -> dict[str, Any]:
    """A SurfaceComponent: `{"id", "style", "component": {"type", ...props}}`, plain props made A2UI literals."""
    if not component_id:
        raise A2UIError("a component needs an id")
    if props is not None and not isinstance(props, dict):
        raise A2UIError(f"props of component {component_id!r} must be an object, got {type(props).__name__}")
    body = {key: literal(value) if key != "children" else value for key, value in (props or {}).items()}
    return {"id": component_id, "style": style or None, "component": {**body, "type": component_type or "text"}}


def components_of(components: Any, where: str) -> list[dict[str, Any]]:
    if isinstance(components, dict):
        components = [components]
    if not isinstance(components, list) or not all(isinstance(c, dict) and c.get("id") for c in components):
        raise A2UIError(f"{where}: components must be SurfaceComponent structs with an 'id', got {components!r}")
    return components


@node(friendly_name="Create Component", category="UI/Component", exec_pins=True)
def a2ui_create_component(component_id: str, component_type: str = "text", props: dict | None = None,
                          style: dict | None = None) -> Annotated[dict, Pin(name="component")]:
    """Makes a SurfaceComponent struct (id, type, props, style) for Begin Rendering or Surface Update."""
    return component_of(component_id, component_type, props, style)


@node(friendly_name="Create Surface", exec_pins=True)
def a2ui_create_surface(surface_id: str = "main", root_component_id: str = "root",
                        catalog_id: str = "") -> Annotated[dict, Pin(name="surface")]:
    """Makes a Surface struct; Begin Rendering shows it with its components."""
    if not surface_id:
        raise A2UIError("a surface needs an id")
    return {"id": surface_id, "rootComponentId": root_component_id or "root", "components": {},
            "catalogId": catalog_id or None}


def data_entries(data_model: Any) -> list[dict[str, Any]]:
    """A DataModel as A2UI entries: `[{"key", "value"}]` from a list of entries or from a plain object."""
    if not data_model:
        return []
    if isinstance(data_model, dict) and isinstance(data_model.get("entries"), list):
        data_model = data_model["entries"]
    if isinstance(data_model, list):
        return [{"key": str(e["key"]), "value": e.get("value")} for e in data_model]
    if isinstance(data_model, dict):
        return [{"key": key, "value": value} for key, value in data_model.items()]
    raise A2UIError(f"a data model must be an object or a list of key/value entries, got {data_model!r}")


@node(friendly_name="Begin Rendering", exec_pins=True)
def a2ui_begin_rendering(ctx: Context, surface: dict, components: list[dict] | None = None,
                         data_model: dict | None = None) -> None:
    """Shows a surface: its components and data model replace whatever the surface showed before."""
    if not surface.get("id"):
        raise A2UIError(f"Begin Rendering needs a Surface struct with an 'id', got {surface!r}")
    listed = components_of(components or [], "Begin Rendering")
    listed += [c for c in (surface.get("components") or {}).values() if c["id"] not in {x["id"] for x in listed}]
    emit(ctx, {"type": "beginRendering", "surfaceId": surface["id"],
               "rootComponentId": surface.get("rootComponentId", "root"), "components": listed,
               "dataModel": data_entries(data_model), "catalogId": surface.get("catalogId")})


@node(friendly_name="Surface Update", exec_pins=True)
def a2ui_surface_update(ctx: Context, surface_id: str = "main", components: list[dict] | None = None) -> None:
    """Adds or replaces components of a surface."""
    emit(ctx, {"type": "surfaceUpdate", "surfaceId": surface_id,
               "components": components_of(components or [], "Surface Update")})


@node(friendly_name="Delete Surface", exec_pins=True)
def a2ui_delete_surface(ctx: Context, surface_id: str = "main") -> None:
    """Removes a surface and its data model."""
    document_of(ctx).surface(surface_id)
    emit(ctx, {"type": "deleteSurface", "surfaceId": surface_id})


@node(friendly_name="Update Data", category="UI/Data", exec_pins=True)
def a2ui_data_update(ctx: Context, surface_id: str = "main", path: str = "", value: Any = None) -> None:
    """Sets the value at a path (`/user/name`) of a surface's data model; components bound to it follow."""
    parent, _, key = path.strip("/").rpartition("/")
    if not key:
        raise A2UIError("Update Data needs a path such as '/user/name'")
    document_of(ctx).surface(surface_id)
    emit(ctx, {"type": "dataModelUpdate", "surfaceId": surface_id, "path": f"/{parent}" if parent else None,
               "contents": [{"key": key, "value": value}]})


@node(friendly_name="Request Elements", category="UI/Data", exec_pins=True)
def a2ui_request_elements(ctx: Context, element_ids: list[str] | None = None) -> None:
    """Asks the frontend to send these elements' current state with its next action."""
    emit(ctx, {"type": "requestElements", "elementIds": list(element_ids or [])})


@node(friendly_name="Upsert Element", category="UI/Data", exec_pins=True)
def a2ui_upsert_element(ctx: Context, element_id: str, value: Any = None) -> None:
    """Applies an element update (`{"type": "setText", "text": ...}` and the other update types) to an element."""
    if not isinstance(value, dict) or not value.get("type"):
        raise A2UIError(f"Upsert Element needs an update object with a 'type', got {value!r}")
    full_id, _ = document_of(ctx).get(element_id)
    emit(ctx, {"type": "upsertElement", "elementId": full_id, "value": value})


@node(friendly_name="Push To Container", category="UI/Container", exec_pins=True)
def a2ui_push_to_container(ctx: Context, container_id: str, element_id: str, element_type: str = "text",
                           element_props: Any = None, position: int = -1) -> Annotated[bool, Pin(name="success")]:
    """Creates an element inside a container, at `position` (-1: last); false when there is no such container."""
    found = document_of(ctx).find(container_id)
    if found is None:
        ctx.warn(f"Push To Container: no container {container_id!r}")
        return False
    surface_id, _, parent_id = found[0].rpartition("/")
    emit(ctx, {"type": "createElement", "surfaceId": surface_id, "parentId": parent_id,
               "component": component_of(element_id, element_type, element_props), "index": position})
    return True


@node(friendly_name="Remove From Container", category="UI/Container", exec_pins=True)
def a2ui_remove_from_container(ctx: Context, container_id: str,
                               element_id: str) -> Annotated[bool, Pin(name="success")]:
    """Removes an element (and what it holds) from a container; false when it is not in that container."""
    document = document_of(ctx)
    container, child = document.find(container_id), document.find(element_id)
    if container is None or child is None or document.parent_of(child[0]) != container[0]:
        ctx.warn(f"Remove From Container: {element_id!r} is not in container {container_id!r}")
        return False
    surface_id, _, component_id = child[0].rpartition("/")
    emit(ctx, {"type": "removeElement", "surfaceId": surface_id, "elementId": component_id})
    return True


@node(friendly_name="Instantiate Widget", category="UI/Container", exec_pins=True)
def a2ui_instantiate_widget(app_id: str, widget_id: str, instance_id: str,
                            customization_values: Annotated[Any, Pin(default={})],
                            action_bindings: Annotated[Any, Pin(default={})]) -> Annotated[Any, Pin(
                                name="widget_instance")]:
    """Makes a widget instance: which app's widget, this instance's id, its customization values and the actions
    its controls are bound to (the frontend renders the widget it names)."""
    if not widget_id or not instance_id:
        raise A2UIError("Instantiate Widget needs a widget id and an instance id")
    return {"widgetId": widget_id, "instanceId": instance_id, "customizationValues": customization_values,
            "actionBindings": action_bindings, "widgetRef": {"appId": app_id, "widgetId": widget_id}}
