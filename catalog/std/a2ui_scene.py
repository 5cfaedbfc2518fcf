"""A2UI game and 3D elements: a 3D model's source, transform and animation, a 3D scene's camera, background,
lighting and controls, a sprite's source, position and transform. Each property is one `setProps` update with
Flow-Like's prop names (vectors as `[x, y, z]`); the frontend draws them."""

from __future__ import annotations

from typing import Annotated, Any

from flowlike_catalog.std.a2ui_document import A2UIError
from flowlike_catalog.std.a2ui_elements import update

from flowlike_core import Context, Pin, node

CATEGORY = "UI/Elements/Game"
CACHEABLE = False

MODEL_PROPS = {"Transform": {"position": "position", "rotation": "rotation", "scale": "scale"},
               "Animation": {"name": "animation", "playing": "animationPlaying", "loop": "animationLoop",
                             "speed": "animationSpeed"}}
SCENE_PROPS = {"Camera": {"type": "cameraType", "position": "cameraPosition", "lookAt": "target"},
               "Background": {"color": "backgroundColor", "environment": "environment"},
               "Lighting": {"ambientIntensity": "ambientLight", "directionalIntensity": "directionalLight",
                            "directionalPosition": "directionalLightPosition"},
               "Controls": {"enabled": "enableControls", "autoRotate": "autoRotate", "enableZoom": "enableZoom",
                            "enablePan": "enablePan"}}
SPRITE_PROPS = {"Position": {"x": "x", "y": "y"}, "Transform": {"scale": "scale", "rotation": "rotation",
                                                                 "opacity": "opacity"}}


def vector(value: Any) -> Any:
    """A `{"x", "y", "z"}` struct as the `[x, y, z]` list the frontend takes; anything else as it is."""
    if isinstance(value, dict) and {"x", "y", "z"} <= value.keys():
        return [value["x"], value["y"], value["z"]]
    return value


def props_of(node_name: str, property: str, struct: Any, fields: dict[str, str]) -> dict[str, Any]:
    """The props a property struct sets: its given fields under the frontend's names."""
    if not isinstance(struct, dict):
        raise A2UIError(f"{node_name}: property {property} needs its struct input, got {struct!r}")
    props = {prop: vector(struct[field]) for field, prop in fields.items() if struct.get(field) is not None}
    if not props:
        raise A2UIError(f"{node_name}: {property} sets none of {', '.join(fields)} from {struct!r}")
    return props


def set_props(ctx: Context, element_ref: Any, node_name: str, property: str, structs: dict[str, Any],
              table: dict[str, dict[str, str]], src: str | None = None) -> None:
    """One `setProps` update for `property`: a source (`src`, for elements that have one) or a struct's fields."""
    if property == "Source" and src is not None:
        if not src:
            raise A2UIError(f"{node_name}: Source needs a src")
        props = {"src": src}
    elif property in table:
        props = props_of(node_name, property, structs[property], table[property])
    else:
        choices = ", ".join([*(["Source"] if src is not None else []), *table])
        raise A2UIError(f"{node_name}: property must be one of {choices}, got {property!r}")
    update(ctx, element_ref, {"type": "setProps", "props": props})


@node(friendly_name="Update 3D Model", exec_pins=True)
def a2ui_update_model3d(ctx: Context, element_ref: dict | str,
                        property: Annotated[str, Pin(valid_values=["Source", *MODEL_PROPS])] = "Source",
                        src: str = "", transform: dict | None = None, animation: dict | None = None) -> None:
    """Sets a 3D model's source, transform (`position`, `rotation` as x/y/z, `scale`) or animation (`name`,
    `playing`, `loop`, `speed`)."""
    set_props(ctx, element_ref, "Update 3D Model", property, {"Transform": transform, "Animation": animation},
              MODEL_PROPS, src)


@node(friendly_name="Update 3D Scene", exec_pins=True)
def a2ui_update_scene3d(ctx: Context, element_ref: dict | str,
                        property: Annotated[str, Pin(valid_values=list(SCENE_PROPS))] = "Camera",
                        camera: dict | None = None, background: dict | None = None, lighting: dict | None = None,
                        controls: dict | None = None) -> None:
    """Sets a 3D scene's camera (`type`, `position`, `lookAt`), background (`color`, `environment`), lighting
    (`ambientIntensity`, `directionalIntensity`, `directionalPosition`) or controls (`enabled`, `autoRotate`,
    `enableZoom`, `enablePan`)."""
    set_props(ctx, element_ref, "Update 3D Scene", property,
              {"Camera": camera, "Background": background, "Lighting": lighting, "Controls": controls}, SCENE_PROPS)


@node(friendly_name="Update Sprite", exec_pins=True)
def a2ui_update_sprite(ctx: Context, element_ref: dict | str,
                       property: Annotated[str, Pin(valid_values=["Source", *SPRITE_PROPS])] = "Source",
                       src: str = "", position: dict | None = None, transform: dict | None = None) -> None:
    """Sets a sprite's source, position (`x`, `y`) or transform (`scale`, `rotation`, `opacity`)."""
    set_props(ctx, element_ref, "Update Sprite", property, {"Position": position, "Transform": transform},
              SPRITE_PROPS, src)
