"""Vision-model nodes that read a screen: observe it, classify its state, describe or find an element, extract
data, and choose among candidate elements (rank them, or resolve which one the user means).

They are how an automation copes with screens it has no selector for: the answers carry coordinates in the
screenshot's pixels, ids of the candidates given, or data in the schema given. The structs have the shapes of
Flow-Like's automation LLM nodes.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.automation.llm_screen import ask, images
from flowlike_catalog.llm.generative import ModelIn, model_in
from flowlike_catalog.llm.structs import ContentPart, History, HistoryMessage, as_model
from flowlike_catalog.llm.structured import extract, parse_schema
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from flowlike_core import Context, DataType, NodeType, Pin, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Automation/LLM/Vision"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)

Confidence = Annotated[float, Field(ge=0.0, le=1.0, description="How sure, from 0 to 1")]
SCREENSHOT_PIN = "The screen: base64 image text, a data: URL, bytes or an image handle"
Screenshot = Annotated[Any, Pin(description=SCREENSHOT_PIN)]


class ObservedElement(BaseModel):
    element_type: str = Field(description="button, input, link, dropdown, ...")
    description: str = Field(description="What the element is for")
    approximate_location: str = Field(description="Where on the screen: top left, center, ...")
    is_interactive: bool
    current_state: str | None = Field(None, description="enabled, disabled, selected, ...")


class ScreenObservation(BaseModel):
    description: str = Field(description="What the screen shows, overall")
    app_context: str = Field(description="Which application, website or context this is")
    interactive_elements: list[ObservedElement]
    text_content: list[str] = Field([], description="Notable text on the screen")
    notable_features: list[str] = []
    possible_actions: list[str] = Field([], description="What a user can do from this screen")


class ScreenClassification(BaseModel):
    screen_type: str = Field(description="login, dashboard, form, error, loading, ...")
    app_name: str | None = None
    state: str = Field(description="The screen's current state")
    visible_elements: list[str] = Field(description="The key visible UI elements")
    suggested_actions: list[str] = []
    confidence: Confidence


class ElementDescription(BaseModel):
    element_type: str = Field(description="button, input, text, image, ...")
    visual_description: str = Field(description="How the element looks")
    purpose: str = Field(description="What the element is for")
    current_state: str = Field(description="enabled, disabled, focused, ...")
    text_content: str | None = None
    accessibility_info: str | None = Field(None, description="Role and accessible name, as far as they show")


class ElementLocation(BaseModel):
    found: bool
    x: int | None = Field(None, description="X of the element's center, in screenshot pixels")
    y: int | None = Field(None, description="Y of the element's center, in screenshot pixels")
    width: int | None = None
    height: int | None = None
    confidence: Confidence
    description: str = Field(description="What was found (or why nothing was)")
    selector_hint: str | None = Field(None, description="A CSS or accessibility selector, if one shows")


class CandidateInput(BaseModel):
    id: str
    description: str
    x: int | None = None
    y: int | None = None
    selector: str | None = None
    additional_info: str | None = None


class RankedCandidate(BaseModel):
    id: str
    rank: int = Field(ge=1, description="1 for the best match")
    score: Confidence
    reasoning: str
    is_recommended: bool


class RankingResult(BaseModel):
    ranked_candidates: list[RankedCandidate]
    best_match_id: str
    confidence: Confidence
    ambiguity_warning: str | None = Field(None, description="Set when several candidates fit equally well")


class ElementCandidate(BaseModel):
    index: int
    x: int
    y: int
    description: str


class ResolvedElement(BaseModel):
    resolved: bool = Field(description="Whether one candidate clearly fits the intent")
    selected_index: int | None = None
    x: int | None = None
    y: int | None = None
    reasoning: str


def candidates_of(value: Any, shape: type[BaseModel], pin: str = "candidates") -> list[Any]:
    """The candidates on the pin (a list, or JSON text of one) as structs; a clear error for anything else."""
    if isinstance(value, str):
        try:
            value = json.loads(value or "[]")
        except json.JSONDecodeError as error:
            raise ValueError(f"{pin}: not JSON ({error})") from None
    if not isinstance(value, list | tuple) or not value:
        raise ValueError(f"{pin}: expected a non-empty array of candidates, got {str(value)[:80]!r}")
    try:
        return TypeAdapter(list[shape]).validate_python(list(value))  # type: ignore[valid-type]
    except ValidationError as error:
        raise ValueError(f"{pin}: each candidate needs {', '.join(shape.model_fields)} ({error.errors()[0]['msg']} "
                         f"at {'.'.join(map(str, error.errors()[0]['loc']))})") from None


def _with(label: str, text: str) -> str:
    return f"\n{label}: {text}" if text else ""


class Observation(NamedTuple):
    observation: ScreenObservation
    description: str
    elements: Annotated[Any, Pin(description="The interactive elements (ObservedElement structs)")]


@node(friendly_name="LLM Observe Screen", exec_pins=True)
async def llm_observe_screen(ctx: Context, model: ModelIn, screenshot: Screenshot,
                             focus_area: Annotated[str, Pin(description="What to look at most (optional)")] = ""
                             ) -> Observation:
    """Has a vision model describe the screen: its context, interactive elements, text and possible actions."""
    prompt = "Observe this screen: list its interactive elements, notable text and the actions it allows." + \
        _with("Focus on", focus_area)
    seen = await ask(model, "You observe screens precisely and completely, for an automation that must act on them.",
                     prompt, images(ctx, screenshot=screenshot), ScreenObservation, "submit_observation")
    return Observation(seen, seen.description, [e.model_dump() for e in seen.interactive_elements])


class Classified(NamedTuple):
    classification: ScreenClassification
    screen_type: str
    state: str


@node(friendly_name="LLM Classify Screen", exec_pins=True)
async def llm_classify_screen(ctx: Context, model: ModelIn, screenshot: Screenshot,
                              expected_states: Annotated[str, Pin(description="Comma-separated states to choose "
                                                                  "from (empty: any)")] = "") -> Classified:
    """Has a vision model classify the screen's type and state; with expected states, the state is one of them."""
    states = [s.strip() for s in expected_states.split(",") if s.strip()]
    prompt = "Classify this screen: its type, its current state and its key elements." + \
        _with("The state is one of", ", ".join(states))
    found = await ask(model, "You classify application screens and their state for an automation.", prompt,
                      images(ctx, screenshot=screenshot), ScreenClassification, "submit_classification",
                      {"state": states})
    return Classified(found, found.screen_type, found.state)


class Described(NamedTuple):
    element: ElementDescription
    description: Annotated[str, Pin(description="How the element looks")]


@node(friendly_name="LLM Describe Element", exec_pins=True)
async def llm_describe_element(ctx: Context, model: ModelIn, screenshot: Screenshot, x: int, y: int) -> Described:
    """Has a vision model describe the UI element at (x, y) of the screenshot."""
    if x < 0 or y < 0:
        raise ValueError(f"coordinates must not be negative, got ({x}, {y})")
    found = await ask(model, "You identify the UI element at given pixel coordinates of a screenshot.",
                      f"Describe the UI element at ({x}, {y}) of this screenshot (pixels from the top left).",
                      images(ctx, screenshot=screenshot), ElementDescription, "submit_element_description")
    return Described(found, found.visual_description)


class FindElement(NodeType):
    name = "llm_find_element"
    friendly_name = "LLM Find Element"
    description = ("Has a vision model locate an element from a description ('the blue Submit button'); Not Found "
                   "fires when it is not on the screen. Coordinates are the center, in screenshot pixels.")
    pins = (exec_in(), model_in(), data_in("screenshot", DataType.GENERIC, required=True, description=SCREENSHOT_PIN),
            data_in("description", DataType.STRING, required=True, description="The element, in words"),
            data_in("context", DataType.STRING, default="", description="About the application or page (optional)"),
            exec_out("exec_out", "Found"), exec_out("exec_not_found", "Not Found"),
            data_out("location", DataType.STRUCT, schema=ElementLocation.model_json_schema()))

    async def run(self, ctx: Context, *, model: Any, screenshot: Any, description: str, context: str) -> None:
        prompt = f"Find the UI element matching: {description!r}. Give the pixel coordinates of its center; set " \
                 f"found to false if it is not on the screen." + _with("Context", context)
        location = await ask(model, "You locate UI elements on screenshots precisely.", prompt,
                             images(ctx, screenshot=screenshot), ElementLocation, "submit_element_location")
        if location.found and (location.x is None or location.y is None):
            location = location.model_copy(update={"found": False})
            ctx.warn("the model said it found the element but gave no coordinates")
        ctx.set_output("location", location)
        ctx.activate("exec_out" if location.found else "exec_not_found")


class Extracted(NamedTuple):
    data: Annotated[Any, Pin(description="The data, valid under the schema")]


def example_schema(example: Any) -> dict[str, Any]:
    """A JSON Schema that an example value fits: objects need all their keys, arrays take their first item's."""
    if isinstance(example, dict):
        return {"type": "object", "properties": {k: example_schema(v) for k, v in example.items()},
                "required": list(example)}
    if isinstance(example, list):
        return {"type": "array", "items": example_schema(example[0]) if example else {}}
    kinds = {bool: "boolean", int: "integer", float: "number", str: "string", type(None): "null"}
    return {"type": kinds[type(example)]}


SCHEMA_WORDS = {"type", "properties", "items", "$schema", "$ref", "allOf", "anyOf", "oneOf", "not", "required",
                "additionalProperties", "enum", "const"}


def schema_or_example(text: str) -> dict[str, Any]:
    """The JSON Schema in the text, or one inferred when the text is an example value instead (anything that is
    not a valid schema using schema keywords)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"schema is not JSON: {error}") from None
    if isinstance(value, dict) and SCHEMA_WORDS & set(value):
        try:
            return parse_schema(value)
        except ValueError:
            pass  # schema words but no schema: an example that happens to use them as keys
    return example_schema(value)


@node(friendly_name="LLM Extract From Screen", exec_pins=True)
async def llm_extract_from_screen(ctx: Context, model: ModelIn, screenshot: Screenshot,
                                  schema: Annotated[str, Pin(description="JSON Schema of the data, or an example "
                                                             "of it")],
                                  hint: Annotated[str, Pin(description="Extra instructions (optional)")] = ""
                                  ) -> Extracted:
    """Has a vision model read data off the screen into the schema; invalid data goes back for one repair."""
    prompt = "Extract the requested data from this screenshot." + _with("Hint", hint)
    history = History(messages=[HistoryMessage(role="user", content=[*images(ctx, screenshot=screenshot),
                                                                     ContentPart(text=prompt)])])
    return Extracted(await extract(as_model(model), history, schema_or_example(schema),
                                   "You extract structured data from screenshots.", name="submit_extraction"))


class Ranking(NamedTuple):
    result: RankingResult
    best_match: Annotated[str, Pin(description="Id of the best candidate")]
    ranked: Annotated[Any, Pin(description="The ranked candidates, best first (RankedCandidate structs)")]


@node(friendly_name="LLM Rank Candidates", exec_pins=True)
async def llm_rank_candidates(ctx: Context, model: ModelIn, screenshot: Screenshot,
                              candidates: Annotated[Any, Pin(description="Array of {id, description, x?, y?, "
                                                             "selector?, additional_info?}")],
                              criteria: Annotated[str, Pin(description="What the wanted element is")],
                              context: str = "") -> Ranking:
    """Has a vision model rank candidate elements by how well they match the criteria; ids are the candidates'."""
    found = candidates_of(candidates, CandidateInput)
    ids = [c.id for c in found]
    if len(set(ids)) != len(ids):
        raise ValueError("candidates: ids must be unique")
    listing = "\n".join(f"- [{c.id}] {c.description}" + (f" at ({c.x}, {c.y})" if c.x is not None else "") +
                        (f", selector {c.selector}" if c.selector else "") +
                        (f" ({c.additional_info})" if c.additional_info else "") for c in found)
    prompt = f"Criteria: {criteria}\n\nCandidates:\n{listing}" + _with("Context", context) + \
        "\n\nRank every candidate from best to worst match."
    result = await ask(model, "You match UI elements to what a user wants, judging looks, position and meaning.",
                       prompt, images(ctx, screenshot=screenshot), RankingResult, "submit_ranking",
                       {"best_match_id": ids, "ranked_candidates.[].id": ids})
    ranked = sorted(result.ranked_candidates, key=lambda c: c.rank)
    return Ranking(result, result.best_match_id, [c.model_dump() for c in ranked])


class ResolveElement(NodeType):
    name = "llm_resolve_element"
    friendly_name = "LLM Resolve Element"
    description = ("Has a vision model pick which of several candidate elements the intent means; Ambiguous fires "
                   "when none clearly fits. The result has the chosen candidate's index and coordinates.")
    pins = (exec_in(), model_in(), data_in("screenshot", DataType.GENERIC, required=True, description=SCREENSHOT_PIN),
            data_in("candidates", DataType.GENERIC, required=True,
                    description="Array of {index, x, y, description}"),
            data_in("intent", DataType.STRING, required=True, description="What the user is trying to do"),
            exec_out("exec_out", "Resolved"), exec_out("exec_ambiguous", "Ambiguous"),
            data_out("result", DataType.STRUCT, schema=ResolvedElement.model_json_schema()))

    async def run(self, ctx: Context, *, model: Any, screenshot: Any, candidates: Any, intent: str) -> None:
        found = {c.index: c for c in candidates_of(candidates, ElementCandidate)}
        listing = "\n".join(f"[{c.index}] at ({c.x}, {c.y}): {c.description}" for c in found.values())
        prompt = f"User intent: {intent}\n\nCandidate elements:\n{listing}\n\nSelect the one the intent means."
        result = await ask(model, "You resolve which UI element a user means among several candidates.", prompt,
                           images(ctx, screenshot=screenshot), ResolvedElement, "submit_resolution",
                           {"selected_index": [*found, None]})
        chosen = found.get(result.selected_index) if result.resolved else None
        if result.resolved and chosen is None:
            ctx.warn("the model said it resolved the element but chose no candidate")
            result = result.model_copy(update={"resolved": False})
        if chosen is not None:
            result = result.model_copy(update={"x": chosen.x, "y": chosen.y})
        ctx.set_output("result", result)
        ctx.activate("exec_out" if result.resolved else "exec_ambiguous")
