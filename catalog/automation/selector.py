"""Selectors for self-healing locators: one way to find an element (CSS, XPath, text, role, test id...), sets of
them in fallback order, and sets ranked by confidence and specificity.

A fingerprint keeps several selectors for one element so that when one breaks (an id changes, a class is
renamed) the next still finds it; ranking puts the sturdiest first. The structs have Flow-Like's shapes
(Selector, SelectorSet, RankedSelectorSet), so boards and JSON move between the two.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BaseModel, field_validator

from flowlike_core import Context, DataType, NodeType, Pin, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Automation/Selector"
CAPABILITIES = ()  # pure data: reaches nothing

KINDS = ("Css", "Xpath", "Text", "TextExact", "Role", "TestId", "AriaLabel", "Placeholder", "AltText", "Title",
         "Image")
SelectorKind = Literal["Css", "Xpath", "Text", "TextExact", "Role", "TestId", "AriaLabel", "Placeholder", "AltText",
                       "Title", "Image"]
SPECIFICITY = {"TestId": 0.2, "Css": 0.15, "Xpath": 0.1, "AriaLabel": 0.1, "Role": 0.05}
"""What a kind adds to a selector's confidence when ranking: test ids are made to stay, text changes most."""
PLAYWRIGHT_CSS = re.compile(r">>|:(has-text|text|text-is|text-matches|visible|nth-match|left-of|right-of|above|below|"
                            r"near)\b")


def kind_of(kind: str) -> str:
    """A selector kind by its name, any case ('css', 'XPath', 'testid'); a clear error for an unknown one."""
    found = next((k for k in KINDS if k.lower() == kind.strip().lower()), None)
    if found is None:
        raise ValueError(f"unknown selector kind {kind!r}: use one of {', '.join(KINDS)}")
    return found


class Selector(BaseModel):
    """One way to find an element; `scope` narrows the search to inside another selector's match."""

    kind: SelectorKind = "Css"
    value: str = ""
    confidence: float | None = None
    scope: str | None = None

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, kind: Any) -> Any:
        return kind_of(kind) if isinstance(kind, str) else kind


class SelectorSet(BaseModel):
    """Selectors for one element; `fallback_order` lists their indexes, the one to try first at the front."""

    selectors: list[Selector] = []
    fallback_order: list[int] = []

    def by_priority(self) -> list[Selector]:
        return [self.selectors[i] for i in self.fallback_order if 0 <= i < len(self.selectors)]

    def add(self, selector: Selector) -> SelectorSet:
        return SelectorSet(selectors=[*self.selectors, selector],
                           fallback_order=[*self.fallback_order, len(self.selectors)])


class RankedSelector(BaseModel):
    selector: Selector
    rank: int = 0
    score: float = 0.0
    reason: str | None = None


class RankedSelectorSet(BaseModel):
    """Selectors best first (rank 0 is the best)."""

    ranked: list[RankedSelector] = []
    context_hash: str | None = None

    def to_selector_set(self) -> SelectorSet:
        return SelectorSet(selectors=[r.selector for r in self.ranked], fallback_order=list(range(len(self.ranked))))


SELECTOR_SCHEMA = Selector.model_json_schema()
SET_SCHEMA = SelectorSet.model_json_schema()
RANKED_SCHEMA = RankedSelectorSet.model_json_schema()


def rank(selectors: SelectorSet) -> RankedSelectorSet:
    """Score = confidence (0.5 when unknown) + the kind's specificity, at most 1; best first, stable for ties."""
    scored = []
    for selector in selectors.selectors:
        base = 0.5 if selector.confidence is None else selector.confidence
        bonus = SPECIFICITY.get(selector.kind, 0.0)
        scored.append((min(base + bonus, 1.0), selector, f"Base: {base:.2f}, Specificity: +{bonus:.2f}"))
    scored.sort(key=lambda item: -item[0])
    return RankedSelectorSet(ranked=[RankedSelector(selector=s, rank=i, score=score, reason=reason)
                                     for i, (score, s, reason) in enumerate(scored)])


def problem(selector: Selector) -> str:
    """What is wrong with the selector ('' when nothing): CSS and XPath are parsed, the rest must be non-empty."""
    value = selector.value
    if not value.strip():
        return "Selector value is empty"
    if "{{" in value or "}}" in value:
        return "Selector contains template syntax ({{ }}): fill the template in first"
    if selector.kind == "Css" and not PLAYWRIGHT_CSS.search(value):
        import soupsieve

        try:
            soupsieve.compile(value)
        except soupsieve.SelectorSyntaxError as error:
            return f"CSS selector does not parse: {str(error).splitlines()[0]}"
    if selector.kind == "Xpath":
        from lxml import etree

        try:
            etree.XPath(value)
        except etree.XPathSyntaxError as error:
            return f"XPath does not parse: {error}"
    return ""


@node(friendly_name="Build Selector", exec_pins=True)
def selector_build(
    kind: Annotated[str, Pin(valid_values=KINDS, description="Type of selector")] = "Css",
    value: Annotated[str, Pin(description="Selector value (CSS selector, XPath, text, etc.)")] = "",
    confidence: Annotated[float, Pin(range=(0.0, 1.0), description="How sure the selector finds the element")] = 1.0,
    scope: Annotated[str, Pin(description="Optional scope selector to narrow the search")] = "",
) -> Annotated[Selector, Pin(name="selector")]:
    """Creates a selector from a value and kind."""
    if not 0.0 <= confidence <= 1.0:
        raise ValueError(f"confidence must be within 0..1, got {confidence}")
    return Selector(kind=kind_of(kind), value=value, confidence=confidence, scope=scope or None)


@node(friendly_name="Create Selector Set", exec_pins=True)
def selector_create_set() -> Annotated[SelectorSet, Pin(name="selector_set")]:
    """Creates a new empty selector set."""
    return SelectorSet()


@node(friendly_name="Add To Selector Set", exec_pins=True)
def selector_add_to_set(selector_set: SelectorSet, selector: Selector
                        ) -> Annotated[SelectorSet, Pin(name="updated_set")]:
    """Adds a selector to the set, last in the fallback order."""
    return selector_set.add(selector)


@node(friendly_name="Rank Selectors", exec_pins=True)
def selector_rank(selector_set: SelectorSet) -> Annotated[RankedSelectorSet, Pin(name="ranked_set")]:
    """Ranks the selectors by confidence plus specificity (test id > CSS > XPath, ARIA label > role > text)."""
    return rank(selector_set)


@node(friendly_name="Ranked To Selector Set", exec_pins=True)
def selector_ranked_to_set(ranked_set: RankedSelectorSet) -> Annotated[SelectorSet, Pin(name="selector_set")]:
    """A plain selector set whose fallback order is the ranking."""
    return ranked_set.to_selector_set()


class SelectorParts(NamedTuple):
    kind: str
    value: str
    confidence: float


@node(exec_pins=True)
def selector_to_string(selector: Selector) -> SelectorParts:
    """The selector's kind, value and confidence (1.0 when it has none)."""
    return SelectorParts(selector.kind, selector.value, 1.0 if selector.confidence is None else selector.confidence)


def _selector_of(value: Any, model: type[BaseModel]) -> Any:
    return model.model_validate(value if value is not None else {})


class GetBest(NodeType):
    name = "selector_get_best"
    friendly_name = "Get Best Selector"
    description = "Gets the highest-ranked selector of a ranked set; Empty fires for an empty set."
    pins = (exec_in(), data_in("ranked_set", DataType.STRUCT, schema=RANKED_SCHEMA,
                               required=True),
            exec_out("exec_found", "Found"), exec_out("exec_empty", "Empty"),
            data_out("selector", DataType.STRUCT, schema=SELECTOR_SCHEMA),
            data_out("score", DataType.FLOAT))

    def run(self, ctx: Context, *, ranked_set: RankedSelectorSet) -> None:
        ranked = _selector_of(ranked_set, RankedSelectorSet).ranked
        if not ranked:
            ctx.activate("exec_empty")
            return
        ctx.set_output("selector", ranked[0].selector)
        ctx.set_output("score", ranked[0].score)
        ctx.activate("exec_found")


class GetPrimary(NodeType):
    name = "selector_get_primary"
    friendly_name = "Get Primary Selector"
    description = "Gets the selector tried first (the head of the fallback order); Empty fires for an empty set."
    pins = (exec_in(), data_in("selector_set", DataType.STRUCT, schema=SET_SCHEMA,
                               required=True),
            exec_out("exec_found", "Found"), exec_out("exec_empty", "Empty"),
            data_out("selector", DataType.STRUCT, schema=SELECTOR_SCHEMA))

    def run(self, ctx: Context, *, selector_set: SelectorSet) -> None:
        ordered = _selector_of(selector_set, SelectorSet).by_priority()
        if not ordered:
            ctx.activate("exec_empty")
            return
        ctx.set_output("selector", ordered[0])
        ctx.activate("exec_found")


class Validate(NodeType):
    name = "selector_validate"
    friendly_name = "Validate Selector"
    description = ("Checks a selector before use: CSS is parsed (Playwright's extensions such as :has-text() and "
                   ">> are accepted as they are), XPath is compiled, any kind must be non-empty and free of {{ }}.")
    pins = (exec_in(), data_in("selector", DataType.STRUCT, schema=SELECTOR_SCHEMA,
                               required=True),
            exec_out("exec_valid", "Valid"), exec_out("exec_invalid", "Invalid"),
            data_out("is_valid", DataType.BOOLEAN),
            data_out("error", DataType.STRING, description="Why it is invalid, else empty"))

    def run(self, ctx: Context, *, selector: Selector) -> None:
        error = problem(_selector_of(selector, Selector))
        ctx.set_output("is_valid", not error)
        ctx.set_output("error", error)
        ctx.activate("exec_invalid" if error else "exec_valid")
