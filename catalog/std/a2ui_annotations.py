"""A2UI image annotations: the hotspots of an image-hotspot element and the labelled boxes of an image labeler.
One node per element kind with Flow-Like's operations (add, remove, set all, clear, get all, set image; the
labeler also relabels a box); the inputs an operation does not use are ignored."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.std.a2ui_document import A2UIError
from flowlike_catalog.std.a2ui_elements import prop, update

from flowlike_core import Context, Pin, node

CACHEABLE = False

HOTSPOT_OPERATIONS = ("Add", "Remove", "Set All", "Clear", "Get All", "Set Image")
LABELER_OPERATIONS = ("Add", "Remove", "Update Label", "Set All", "Clear", "Get All", "Set Image")


def with_id(item: Any, what: str, fields: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(item, dict) or not item.get("id") or any(f not in item for f in fields):
        raise A2UIError(f"a {what} needs 'id' and {', '.join(repr(f) for f in fields)}, got {item!r}")
    return item


def image_src(image: Any) -> dict[str, Any]:
    if not isinstance(image, dict) or not image.get("src"):
        raise A2UIError(f"Set Image needs an image source with 'src', got {image!r}")
    return {"src": image["src"], **({"alt": image["alt"]} if image.get("alt") else {})}


class Hotspots(NamedTuple):
    hotspot_id: Annotated[str, Pin(description="The id of the hotspot added")]
    hotspots: Annotated[list[dict], Pin(description="Every hotspot (Get All)")]
    count: int


@node(friendly_name="Update Hotspot", category="UI/Elements/Hotspot", exec_pins=True)
def a2ui_update_hotspot(ctx: Context, element_ref: dict | str,
                        operation: Annotated[str, Pin(valid_values=list(HOTSPOT_OPERATIONS))] = "Add",
                        hotspot: dict | None = None, hotspot_id: str = "", hotspots: list[dict] | None = None,
                        image: dict | None = None) -> Hotspots:
    """Adds, removes, replaces, clears or lists an image's hotspots (`{"id", "x", "y", "label"...}`), or sets
    the image."""
    fields = ("x", "y")
    if operation == "Add":
        spot = with_id(hotspot, "hotspot", fields)
        update(ctx, element_ref, {"type": "addHotspot", "hotspot": spot})
        return Hotspots(spot["id"], [], 0)
    if operation == "Remove":
        update(ctx, element_ref, {"type": "removeHotspot", "hotspotId": hotspot_id})
    elif operation in ("Set All", "Clear"):
        listed = [with_id(h, "hotspot", fields) for h in (hotspots or [])] if operation == "Set All" else []
        update(ctx, element_ref, {"type": "setHotspots", "hotspots": listed})
    elif operation == "Set Image":
        update(ctx, element_ref, {"type": "setHotspotImage", **image_src(image)})
    elif operation == "Get All":
        current = list(prop(ctx, element_ref, "hotspots") or [])
        return Hotspots("", current, len(current))
    else:
        raise A2UIError(f"Update Hotspot: operation must be one of {', '.join(HOTSPOT_OPERATIONS)}, "
                        f"got {operation!r}")
    return Hotspots("", [], 0)


class Boxes(NamedTuple):
    box_id: Annotated[str, Pin(description="The id of the box added")]
    boxes: Annotated[list[dict], Pin(description="Every box (Get All)")]
    count: int


@node(friendly_name="Update Labeler", category="UI/Elements/Labeler", exec_pins=True)
def a2ui_update_labeler(ctx: Context, element_ref: dict | str,
                        operation: Annotated[str, Pin(valid_values=list(LABELER_OPERATIONS))] = "Add",
                        box: dict | None = None, box_id: str = "", label: str = "", boxes: list[dict] | None = None,
                        image: dict | None = None) -> Boxes:
    """Adds, removes, relabels, replaces, clears or lists an image labeler's boxes (`{"id", "x", "y", "width",
    "height", "label"}`), or sets the image."""
    fields = ("x", "y", "width", "height")
    if operation == "Add":
        added = with_id(box, "box", fields)
        update(ctx, element_ref, {"type": "addLabelerBox", "box": added})
        return Boxes(added["id"], [], 0)
    if operation == "Remove":
        update(ctx, element_ref, {"type": "removeLabelerBox", "boxId": box_id})
    elif operation == "Update Label":
        update(ctx, element_ref, {"type": "updateLabelerBoxLabel", "boxId": box_id, "label": label})
    elif operation in ("Set All", "Clear"):
        listed = [with_id(b, "box", fields) for b in (boxes or [])] if operation == "Set All" else []
        update(ctx, element_ref, {"type": "setLabelerBoxes", "boxes": listed})
    elif operation == "Set Image":
        update(ctx, element_ref, {"type": "setLabelerImage", **image_src(image)})
    elif operation == "Get All":
        current = list(prop(ctx, element_ref, "boxes") or [])
        return Boxes("", current, len(current))
    else:
        raise A2UIError(f"Update Labeler: operation must be one of {', '.join(LABELER_OPERATIONS)}, got {operation!r}")
    return Boxes("", [], 0)
