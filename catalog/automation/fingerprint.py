"""Element fingerprints: what identifies one element besides a single selector (its selectors in fallback order,
role, accessible name, text, tag, box), so that a locator can heal when the page changes.

Two fingerprints are compared field by field with weights (name counts most, then role, text and the shared
selectors, then the tag); 0.8 and above counts as the same element. Matches are counted on the fingerprint so
that a board can tell a well-tried locator from a new one. The struct has Flow-Like's ElementFingerprint shape;
JSON from Flow-Like reads back here and the other way round.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal, NamedTuple

from flowlike_catalog.automation.selector import SelectorSet
from flowlike_catalog.media.image import BoundingBox
from pydantic import BaseModel, Field, ValidationError

from flowlike_core import Context, DataType, NodeType, Pin, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Automation/Fingerprint"
CAPABILITIES = ()  # pure data: reaches nothing
SAME_ELEMENT = 0.8
"""Similarity from which two fingerprints count as the same element."""

MatchStrategy = Literal["Dom", "Accessibility", "Vision", "Hybrid", "LlmAssisted"]
STRATEGIES = ("Dom", "Accessibility", "Vision", "Hybrid", "LlmAssisted")


def _now() -> datetime:
    return datetime.now(UTC)


class ElementFingerprint(BaseModel):
    id: str
    selectors: SelectorSet = SelectorSet()
    role: str | None = None
    name: str | None = None
    text: str | None = None
    bounding_box: BoundingBox | None = None
    nearby_text: list[str] = []
    template_ref: str | None = None
    dom_path: str | None = None
    ax_path: str | None = None
    attributes: dict[str, str] = {}
    tag_name: str | None = None
    inner_text: str | None = None
    computed_styles: dict[str, str] | None = None
    created_at: datetime = Field(default_factory=_now)
    last_matched_at: datetime | None = None
    match_count: int = 0


class FingerprintMatchOptions(BaseModel):
    strategy: MatchStrategy = "Hybrid"
    min_confidence: float = SAME_ELEMENT
    max_fallback_attempts: int = 3
    timeout_ms: int = 10000
    search_region: BoundingBox | None = None


FINGERPRINT_SCHEMA = ElementFingerprint.model_json_schema()
FingerprintOut = Annotated[ElementFingerprint, Pin(name="fingerprint")]
UpdatedOut = Annotated[ElementFingerprint, Pin(name="updated_fingerprint")]


def similarity(a: ElementFingerprint, b: ElementFingerprint) -> float:
    """Weighted share of agreeing fields, counting only fields both fingerprints have (0 when they share none).
    Selectors count by the share of selector values they have in common."""
    score = weights = 0.0
    for field, weight in (("role", 2.0), ("name", 3.0), ("text", 2.0), ("tag_name", 1.0)):
        mine, theirs = getattr(a, field), getattr(b, field)
        if mine is not None and theirs is not None:
            weights += weight
            score += weight if mine == theirs else 0.0
    values_a = {s.value for s in a.selectors.selectors}
    values_b = {s.value for s in b.selectors.selectors}
    if values_a and values_b:
        weights += 2.0
        score += 2.0 * len(values_a & values_b) / max(len(values_a), len(values_b))
    return score / weights if weights else 0.0


def fingerprint_hash(fingerprint: ElementFingerprint) -> str:
    """16 hex digits from role, name, text, tag and the selector values: equal for equal identities, stable
    across runs and machines."""
    digest = hashlib.sha256()
    for part in (fingerprint.role, fingerprint.name, fingerprint.text, fingerprint.tag_name):
        digest.update(b"\x01" + part.encode() if part is not None else b"\x00")
    for selector in fingerprint.selectors.selectors:
        digest.update(b"\x02" + selector.value.encode())
    return digest.hexdigest()[:16]


@node(friendly_name="Create Fingerprint", exec_pins=True)
def fingerprint_create(
    id: Annotated[str, Pin("ID", description="Unique identifier; empty makes a new one")] = "",
    selectors: SelectorSet = None,
    role: Annotated[str, Pin(description="ARIA role of the element")] = "",
    name: Annotated[str, Pin(description="Accessible name of the element")] = "",
    text: Annotated[str, Pin(description="Visible text content")] = "",
    bounding_box: Annotated[BoundingBox, Pin("BBox", description="Box of the element (x1, y1, x2, y2); an empty "
                                             "box is left out")] = None,
) -> FingerprintOut:
    """Creates a new element fingerprint for identification; empty role, name and text are left unset."""
    box = bounding_box if bounding_box is not None and (bounding_box.x2 - bounding_box.x1) * \
        (bounding_box.y2 - bounding_box.y1) > 0 else None
    return ElementFingerprint(id=id or uuid.uuid4().hex, selectors=selectors or SelectorSet(), role=role or None,
                              name=name or None, text=text or None, bounding_box=box)


@node(friendly_name="Compute Fingerprint Hash", exec_pins=True)
def fingerprint_compute_hash(fingerprint: ElementFingerprint) -> Annotated[str, Pin(name="hash")]:
    """A short hash of the element's identity (role, name, text, tag, selectors) for quick comparison."""
    return fingerprint_hash(fingerprint)


class Comparison(NamedTuple):
    similarity: Annotated[float, Pin(description="0 (nothing in common) to 1 (all shared fields agree)")]
    is_match: Annotated[bool, Pin(description=f"Whether the similarity reaches {SAME_ELEMENT}")]


@node(friendly_name="Compare Fingerprints", exec_pins=True)
def fingerprint_compare(
    fingerprint_a: ElementFingerprint,
    fingerprint_b: ElementFingerprint,
) -> Comparison:
    """Compares two fingerprints and tells whether they likely describe the same element."""
    score = similarity(fingerprint_a, fingerprint_b)
    return Comparison(score, score >= SAME_ELEMENT)


@node(friendly_name="Match Options", exec_pins=True)
def fingerprint_match_options(
    strategy: Annotated[str, Pin(valid_values=STRATEGIES, description="Matching strategy to use")] = "Hybrid",
    min_confidence: Annotated[float, Pin(range=(0.0, 1.0))] = SAME_ELEMENT,
    max_fallback_attempts: Annotated[int, Pin(range=(0, 1000))] = 3,
    timeout_ms: Annotated[int, Pin("Timeout (ms)", range=(0, 86_400_000))] = 10000,
) -> Annotated[FingerprintMatchOptions, Pin(name="options")]:
    """Options for matching a fingerprint on a page."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}: use one of {', '.join(STRATEGIES)}")
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be within 0..1, got {min_confidence}")
    if max_fallback_attempts < 0 or timeout_ms < 0:
        raise ValueError("max_fallback_attempts and timeout_ms must not be negative")
    return FingerprintMatchOptions(strategy=strategy, min_confidence=min_confidence,
                                   max_fallback_attempts=max_fallback_attempts, timeout_ms=timeout_ms)


class Recorded(NamedTuple):
    updated_fingerprint: ElementFingerprint
    match_count: int


@node(friendly_name="Record Fingerprint Match", exec_pins=True)
def fingerprint_record_match(fingerprint: ElementFingerprint) -> Recorded:
    """Records a successful match: one more in the count, and now as the last match time."""
    count = fingerprint.match_count + 1
    return Recorded(fingerprint.model_copy(update={"match_count": count, "last_matched_at": _now()}), count)


@node(friendly_name="Update Fingerprint", exec_pins=True)
def fingerprint_update(
    fingerprint: ElementFingerprint,
    selectors: Annotated[SelectorSet, Pin(description="New selector set; an empty one keeps the old")] = None,
    role: Annotated[str, Pin(description="New role (empty keeps the old)")] = "",
    name: Annotated[str, Pin(description="New name (empty keeps the old)")] = "",
    text: Annotated[str, Pin(description="New text (empty keeps the old)")] = "",
) -> UpdatedOut:
    """Updates a fingerprint with what changed on the page; empty inputs keep what it had."""
    update: dict[str, object] = {key: value for key, value in (("role", role), ("name", name), ("text", text))
                                 if value}
    if selectors is not None and selectors.selectors:
        update["selectors"] = selectors
    return fingerprint.model_copy(update=update)


class FingerprintData(NamedTuple):
    id: Annotated[str, Pin("ID")]
    role: str
    name: str
    text: str
    tag_name: str
    selector_count: int
    match_count: int


@node(friendly_name="Extract Fingerprint Data", exec_pins=True)
def fingerprint_extract_data(fingerprint: ElementFingerprint) -> FingerprintData:
    """The fingerprint's fields, unset ones as empty text."""
    return FingerprintData(fingerprint.id, fingerprint.role or "", fingerprint.name or "", fingerprint.text or "",
                           fingerprint.tag_name or "", len(fingerprint.selectors.selectors), fingerprint.match_count)


@node(friendly_name="Fingerprint To JSON", exec_pins=True)
def fingerprint_to_json(fingerprint: ElementFingerprint, pretty: bool = False
                        ) -> Annotated[str, Pin("JSON", name="json")]:
    """The fingerprint as JSON, to store next to a board or send elsewhere."""
    return fingerprint.model_dump_json(indent=2 if pretty else None)


class FromJson(NodeType):
    name = "fingerprint_from_json"
    friendly_name = "Fingerprint From JSON"
    description = "Parses an element fingerprint from JSON; Error fires with the reason when it is not one."
    pins = (exec_in(), data_in("json", DataType.STRING, default="{}", friendly_name="JSON"),
            exec_out("exec_out", "Continue"), exec_out("exec_error", "Error"),
            data_out("fingerprint", DataType.STRUCT, schema=FINGERPRINT_SCHEMA),
            data_out("error_message", DataType.STRING))

    def run(self, ctx: Context, *, json: str) -> None:
        try:
            fingerprint = ElementFingerprint.model_validate_json(json)
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in error.errors())
            if not ctx.is_wired("exec_error"):  # a board must not go on past a failure nothing handles
                raise ValueError(f"input 'json' is not an element fingerprint: {problems}") from None
            ctx.set_output("error_message", f"not an element fingerprint: {problems}")
            ctx.activate("exec_error")
            return
        ctx.set_output("fingerprint", fingerprint)
        ctx.set_output("error_message", "")
        ctx.activate("exec_out")
