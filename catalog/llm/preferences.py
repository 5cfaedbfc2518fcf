"""Model preferences (Flow-Like's BitModelPreference): what a board wants from a model, as weights and a name hint.

The struct is plain data on a pin: Make Preferences starts one, the Set nodes return edited copies. A weight
says how much a trait matters (0 to 1, clamped); a trait without a weight does not count.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict

from flowlike_core import Pin, node

CATEGORY = "AI/Generative/Preferences"

TRAITS = {
    "Cost": "cost_weight",
    "Speed": "speed_weight",
    "Reasoning": "reasoning_weight",
    "Creativity": "creativity_weight",
    "Factuality": "factuality_weight",
    "Function Calling": "function_calling_weight",
    "Safety": "safety_weight",
    "Openness": "openness_weight",
    "Multilinguality": "multilinguality_weight",
    "Coding": "coding_weight",
}
"""The trait names the weight node takes, to the struct's fields (Flow-Like's names and fields)."""


class ModelPreferences(BaseModel):
    """What a board wants from a model; None means "no preference" (Flow-Like's BitModelPreference)."""

    model_config = ConfigDict(frozen=True)
    multimodal: bool | None = None
    cost_weight: float | None = None
    speed_weight: float | None = None
    reasoning_weight: float | None = None
    creativity_weight: float | None = None
    factuality_weight: float | None = None
    function_calling_weight: float | None = None
    safety_weight: float | None = None
    openness_weight: float | None = None
    multilinguality_weight: float | None = None
    coding_weight: float | None = None
    model_hint: str | None = None


PreferencesIn = Annotated[ModelPreferences, Pin("Preferences", description="From Make Preferences")]
PreferencesOut = Annotated[ModelPreferences, Pin("Preferences", name="preferences_out")]


@node(friendly_name="Make Preferences")
def ai_generative_make_preferences(multimodal: Annotated[bool, Pin(description="The model must read images")]
                                   = False) -> Annotated[ModelPreferences, Pin(name="preferences")]:
    """Starts model preferences: no weights, no hint."""
    return ModelPreferences(multimodal=multimodal)


@node(friendly_name="Set Model Hint", exec_pins=True)
def ai_generative_set_model_hint(preferences_in: PreferencesIn,
                                 model_hint: Annotated[str, Pin(description="A model name to prefer (close "
                                                                            "names match too); empty clears it")]
                                 ) -> PreferencesOut:
    """Names the model the board would like; the hint weighs in beside the trait weights."""
    preferences = ModelPreferences.model_validate(preferences_in or {})
    return preferences.model_copy(update={"model_hint": model_hint.strip() or None})


@node(friendly_name="Set Preference Weight", exec_pins=True)
def ai_generative_set_preference_weight(
        preferences_in: PreferencesIn,
        preferences_key: Annotated[str, Pin("Trait", valid_values=tuple(TRAITS))] = "Cost",
        weight: Annotated[float, Pin(range=(0.0, 1.0), description="How much the trait matters, 0 to 1")] = 0.0,
) -> PreferencesOut:
    """Sets how much one trait (cost, speed, reasoning...) matters when a model is picked."""
    field = TRAITS.get(preferences_key)
    if field is None:
        raise ValueError(f"Set Preference Weight: unknown trait {preferences_key!r}; one of {', '.join(TRAITS)}")
    preferences = ModelPreferences.model_validate(preferences_in or {})
    return preferences.model_copy(update={field: min(max(float(weight), 0.0), 1.0)})
