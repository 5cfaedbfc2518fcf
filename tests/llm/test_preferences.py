"""Model preferences: made, hinted and weighted on a board; bad traits and weights are named."""

from __future__ import annotations

import pytest
from flowlike_catalog.llm.preferences import (
    ModelPreferences,
    ai_generative_make_preferences,
    ai_generative_set_model_hint,
    ai_generative_set_preference_weight,
)


def test_preferences_are_made_hinted_and_weighted_on_a_board(b):
    make = b.add("ai_generative_make_preferences", multimodal=True)
    hint = b.add("ai_generative_set_model_hint", model_hint=" gpt-4o ")
    cost = b.add("ai_generative_set_preference_weight", preferences_key="Cost", weight=0.8)
    coding = b.add("ai_generative_set_preference_weight", preferences_key="Function Calling", weight=0.3)
    b.wire(make, "preferences", hint, "preferences_in")
    b.wire(hint, "preferences_out", cost, "preferences_in")
    b.wire(cost, "preferences_out", coding, "preferences_in")
    result = ModelPreferences.model_validate(b.result(coding, "preferences_out", hint, cost, coding))
    assert result == ModelPreferences(multimodal=True, model_hint="gpt-4o", cost_weight=0.8,
                                      function_calling_weight=0.3)


def test_weights_are_clamped_hints_cleared_and_edits_make_copies():
    start = ai_generative_make_preferences.func()
    assert start == ModelPreferences(multimodal=False)
    heavy = ai_generative_set_preference_weight.func(start, "Speed", 3.5)
    assert (heavy.speed_weight, start.speed_weight) == (1.0, None)
    assert ai_generative_set_preference_weight.func(start, "Safety", -1).safety_weight == 0.0
    hinted = ai_generative_set_model_hint.func({"model_hint": "old"}, "")
    assert hinted.model_hint is None


def test_an_unknown_trait_is_named():
    with pytest.raises(ValueError, match="unknown trait 'Price'.*Cost, Speed"):
        ai_generative_set_preference_weight.func(ModelPreferences(), "Price", 0.5)
