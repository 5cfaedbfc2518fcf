"""Vision-model nodes that plan an automation and heal it when it breaks: plan the actions toward a goal,
suggest the next step, diagnose a failure, and find a new selector or a new position for an element that moved.

A healed selector is checked before it is trusted: it must parse and match an element of the page HTML given
(the first of the model's alternatives that does is taken), so Continue only fires with a selector that works on
that page. The structs have the shapes of Flow-Like's automation LLM nodes.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, NamedTuple

from flowlike_catalog.automation.llm_screen import ask, images
from flowlike_catalog.automation.llm_vision import SCREENSHOT_PIN, Confidence, Screenshot
from flowlike_catalog.automation.selector import PLAYWRIGHT_CSS
from flowlike_catalog.llm.generative import ModelIn, model_in
from pydantic import BaseModel, Field

from flowlike_core import Context, DataType, NodeType, Pin, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Automation/LLM/Healing"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
PLANNING = "Automation/LLM/Planning"
DIAGNOSE_HTML_LIMIT = 30_000
SELECTOR_HTML_LIMIT = 50_000
"""How much page HTML goes to the model (characters); the selector check uses the whole page."""


class PlannedAction(BaseModel):
    action_type: str = Field(description="click, type, scroll, ...")
    target: str = Field(description="What to act on: an element's description or coordinates")
    parameters: dict[str, Any] = Field({}, description="The action's parameters (text to type, ...)")
    reasoning: str = Field(description="Why this action is needed")
    expected_result: str = Field("", description="What should happen after it")


class ActionPlan(BaseModel):
    goal_understood: bool
    current_state_assessment: str = Field(description="What the screen shows now, toward the goal")
    actions: list[PlannedAction] = Field(description="The actions in order")
    success_criteria: list[str] = Field([], description="How to tell the goal is reached")
    potential_obstacles: list[str] = []
    confidence: Confidence


class AlternativeAction(BaseModel):
    action_type: str
    description: str
    confidence: Confidence


class NextStepSuggestion(BaseModel):
    goal_reached: bool = Field(description="Whether the goal already looks reached")
    action_type: str = Field(description="click, type, scroll, wait, verify, ...")
    target_description: str = Field(description="What to act on")
    target_coordinates: tuple[int, int] | None = Field(None, description="[x, y] in screenshot pixels, if it applies")
    parameters: dict[str, Any] = {}
    reasoning: str
    confidence: Confidence
    alternatives: list[AlternativeAction] = []


class FailureDiagnosis(BaseModel):
    failure_type: str = Field(description="element_not_found, timeout, stale_element, visibility, state_change, "
                                          "template_mismatch, ...")
    root_cause: str
    severity: Literal["low", "medium", "high", "critical"]
    recoverable: bool
    recommended_actions: list[str] = []
    context_clues: list[str] = []


class HealingResult(BaseModel):
    healed: bool = Field(description="Whether there is a fix to retry with")
    diagnosis: FailureDiagnosis
    healing_action: str | None = Field(None, description="What to do to recover")
    new_value: str | None = Field(None, description="The value to retry with: a new selector, coordinates, text")
    confidence: Confidence


class HealedSelector(BaseModel):
    healed: bool = Field(description="Whether a working selector was found")
    new_selector: str | None = None
    selector_type: str = Field("css", description="css, xpath or accessibility")
    confidence: Confidence
    reasoning: str = Field(description="What changed on the page and how the selector follows it")
    alternatives: list[str] = Field([], description="Other selectors that should work, best first")


class TemplateRegion(BaseModel):
    x: int
    y: int
    width: int
    height: int


class HealedTemplate(BaseModel):
    healed: bool = Field(description="Whether the element was found")
    found_at_x: int | None = Field(None, description="X of the element's center, in screenshot pixels")
    found_at_y: int | None = Field(None, description="Y of the element's center, in screenshot pixels")
    confidence: Confidence
    reasoning: str
    suggested_region: TemplateRegion | None = Field(None, description="Where to capture a new template")
    visual_changes_detected: list[str] = []


def _with(label: str, text: str) -> str:
    return f"\n{label}: {text}" if text else ""


def action_names(available_actions: str) -> list[str]:
    """The action names when the text is a JSON array of names (the plan may then use only those), else none."""
    try:
        names = json.loads(available_actions)
    except json.JSONDecodeError:
        return []
    return names if isinstance(names, list) and names and all(isinstance(n, str) for n in names) else []


class Plan(NamedTuple):
    plan: ActionPlan
    actions: Annotated[Any, Pin(description="The planned actions in order (PlannedAction structs)")]
    first_action: Annotated[PlannedAction | None, Pin(schema=PlannedAction.model_json_schema(),
                                                      description="The first action; empty for an empty plan")]


@node(friendly_name="LLM Plan Actions", category=PLANNING, exec_pins=True)
async def llm_plan_actions(ctx: Context, model: ModelIn, screenshot: Screenshot,
                           goal: Annotated[str, Pin(description="What the automation should accomplish")],
                           available_actions: Annotated[str, Pin(description="JSON array of the action types "
                                                                 "(and their parameters) to plan with")]
                           = '["click", "type", "scroll", "wait", "hover"]',
                           constraints: str = "") -> Plan:
    """Has a vision model plan the actions that reach the goal from this screen."""
    prompt = f"Goal: {goal}\nAvailable actions: {available_actions}" + _with("Constraints", constraints) + \
        "\n\nPlan the actions that reach the goal from this screen."
    plan = await ask(model, "You plan UI automations: specific, executable steps from the current screen.", prompt,
                     images(ctx, screenshot=screenshot), ActionPlan, "submit_action_plan",
                     {"actions.[].action_type": action_names(available_actions)})
    return Plan(plan, [a.model_dump() for a in plan.actions], plan.actions[0] if plan.actions else None)


class SuggestNextStep(NodeType):
    name = "llm_suggest_next_step"
    friendly_name = "LLM Suggest Next Step"
    category = PLANNING
    description = ("Has a vision model suggest the single next action toward the goal, given what was done; Goal "
                   "Reached fires instead when the screen shows the goal reached.")
    pins = (exec_in(), model_in(), data_in("screenshot", DataType.GENERIC, required=True, description=SCREENSHOT_PIN),
            data_in("goal", DataType.STRING, required=True),
            data_in("completed_actions", DataType.STRING, default="[]", description="JSON array of the actions done"),
            data_in("last_result", DataType.STRING, default="", description="What the last action did"),
            exec_out("exec_out", "Continue"), exec_out("exec_goal_reached", "Goal Reached"),
            data_out("suggestion", DataType.STRUCT, schema=NextStepSuggestion.model_json_schema()),
            data_out("action_type", DataType.STRING), data_out("target", DataType.STRING))

    async def run(self, ctx: Context, *, model: Any, screenshot: Any, goal: str, completed_actions: str,
                  last_result: str) -> None:
        done = "This is the first action." if completed_actions.strip() in ("", "[]") else \
            f"Actions done so far: {completed_actions}"
        prompt = f"Goal: {goal}\n{done}" + _with("Result of the last action", last_result) + \
            "\n\nWhat is the next action?"
        step = await ask(model, "You guide a UI automation one step at a time and notice when the goal is reached.",
                         prompt, images(ctx, screenshot=screenshot), NextStepSuggestion, "submit_next_step")
        ctx.set_output("suggestion", step)
        ctx.set_output("action_type", step.action_type)
        ctx.set_output("target", step.target_description)
        ctx.activate("exec_goal_reached" if step.goal_reached else "exec_out")


class DiagnoseAndHeal(NodeType):
    name = "llm_diagnose_and_heal"
    friendly_name = "LLM Diagnose & Heal"
    description = ("Has a model diagnose a failed automation step (from the error, the screen and the page HTML) "
                   "and propose a fix: Continue fires with New Value to retry with, Failed when it cannot be healed.")
    pins = (exec_in(), model_in(),
            data_in("screenshot", DataType.GENERIC, default="", description=SCREENSHOT_PIN + " (optional)"),
            data_in("error_message", DataType.STRING, required=True),
            data_in("action_type", DataType.STRING, required=True, description="click, type, wait, find, ..."),
            data_in("action_target", DataType.STRING, required=True, description="Selector, coordinates or text"),
            data_in("context", DataType.STRING, default="", description="What the automation was doing"),
            data_in("page_html", DataType.STRING, default="", description="For selector failures"),
            exec_out("exec_out", "Healed"), exec_out("exec_failed", "Failed"),
            data_out("result", DataType.STRUCT, schema=HealingResult.model_json_schema()),
            data_out("diagnosis", DataType.STRUCT, schema=FailureDiagnosis.model_json_schema()),
            data_out("new_value", DataType.STRING))

    async def run(self, ctx: Context, *, model: Any, screenshot: Any, error_message: str, action_type: str,
                  action_target: str, context: str, page_html: str) -> None:
        html = page_html[:DIAGNOSE_HTML_LIMIT] + ("\n...[truncated]" if len(page_html) > DIAGNOSE_HTML_LIMIT else "")
        prompt = f"An automation step failed.\nAction: {action_type}\nTarget: {action_target}\n" \
                 f"Error: {error_message}" + _with("Context", context) + _with("Page HTML", html) + \
                 "\n\nDiagnose the failure and give a fix to retry with, if there is one."
        result = await ask(model, "You diagnose failed UI automation steps and heal them with concrete fixes.",
                           prompt, images(ctx, screenshot=screenshot), HealingResult, "submit_diagnosis_and_healing")
        ctx.set_output("result", result)
        ctx.set_output("diagnosis", result.diagnosis)
        ctx.set_output("new_value", result.new_value or "")
        ctx.activate("exec_out" if result.healed else "exec_failed")


def selector_problem(html: str, selector: str, selector_type: str) -> str:
    """Why the selector does not find an element in the HTML ('' when it does). CSS with Playwright's extensions
    and accessibility selectors cannot be checked on HTML and pass."""
    kind = selector_type.strip().lower()
    if not selector.strip():
        return "the selector is empty"
    if kind == "xpath":
        from lxml import etree
        from lxml import html as lxml_html

        try:
            found = lxml_html.fromstring(html).xpath(selector)
        except etree.XPathError as error:
            return f"the XPath does not work: {error}"
        return "" if isinstance(found, list) and found else "the XPath matches nothing on the page"
    if kind == "css" and not PLAYWRIGHT_CSS.search(selector):
        import soupsieve
        from bs4 import BeautifulSoup

        try:
            found = BeautifulSoup(html, "html.parser").select(selector)
        except soupsieve.SelectorSyntaxError as error:
            return f"the CSS selector does not parse: {str(error).splitlines()[0]}"
        return "" if found else "the CSS selector matches nothing on the page"
    return ""


class HealSelector(NodeType):
    name = "llm_heal_selector"
    friendly_name = "LLM Heal Selector"
    description = ("Has a model fix a CSS or XPath selector that stopped working, from the page HTML (and a "
                   "screenshot). The fix is checked on the HTML: the first of the model's selectors that matches "
                   "an element becomes New Selector and Continue fires; Failed fires when none does.")
    pins = (exec_in(), model_in(),
            data_in("screenshot", DataType.GENERIC, default="", description=SCREENSHOT_PIN + " (optional)"),
            data_in("page_html", DataType.STRING, required=True),
            data_in("broken_selector", DataType.STRING, required=True),
            data_in("element_description", DataType.STRING, required=True, description="What it should match"),
            data_in("selector_type", DataType.STRING, default="css", description="css, xpath or accessibility"),
            exec_out("exec_out", "Continue"), exec_out("exec_failed", "Failed"),
            data_out("result", DataType.STRUCT, schema=HealedSelector.model_json_schema()),
            data_out("new_selector", DataType.STRING))

    async def run(self, ctx: Context, *, model: Any, screenshot: Any, page_html: str, broken_selector: str,
                  element_description: str, selector_type: str) -> None:
        html = page_html[:SELECTOR_HTML_LIMIT] + ("...[truncated]" if len(page_html) > SELECTOR_HTML_LIMIT else "")
        prompt = f"Fix this broken {selector_type} selector.\nBroken selector: {broken_selector}\n" \
                 f"Element: {element_description}\n\nPage HTML:\n{html}"
        result = await ask(model, f"You repair {selector_type} selectors for web automation: follow changed ids, "
                                  "classes and structure, and prefer sturdy hooks (test ids, labels, roles).",
                           prompt, images(ctx, screenshot=screenshot), HealedSelector, "submit_healed_selector")
        working = ""
        if result.healed:
            for selector in dict.fromkeys(filter(None, [result.new_selector, *result.alternatives])):
                problem = selector_problem(page_html, selector, selector_type)
                if not problem:
                    working = selector
                    break
                ctx.warn(f"proposed selector {selector!r} rejected: {problem}")
        result = result.model_copy(update={"healed": bool(working), "new_selector": working or result.new_selector})
        ctx.set_output("result", result)
        ctx.set_output("new_selector", working)
        ctx.activate("exec_out" if working else "exec_failed")


class HealTemplate(NodeType):
    name = "llm_heal_template"
    friendly_name = "LLM Heal Template"
    description = ("When an image template no longer matches the screen (restyled, rescaled, moved), has a vision "
                   "model find the same element: Continue fires with its center (X, Y), Failed when it is gone.")
    pins = (exec_in(), model_in(), data_in("screenshot", DataType.GENERIC, required=True, description=SCREENSHOT_PIN),
            data_in("template", DataType.GENERIC, required=True, description="The template image that failed "
                                                                             "to match (same forms as Screenshot)"),
            data_in("element_description", DataType.STRING, required=True),
            data_in("last_known_position", DataType.STRING, default="", description="Where it was last, e.g. 120,40"),
            exec_out("exec_out", "Continue"), exec_out("exec_failed", "Failed"),
            data_out("result", DataType.STRUCT, schema=HealedTemplate.model_json_schema()),
            data_out("x", DataType.INTEGER), data_out("y", DataType.INTEGER))

    async def run(self, ctx: Context, *, model: Any, screenshot: Any, template: Any, element_description: str,
                  last_known_position: str) -> None:
        prompt = "The first image is the screen, the second a template of an element that no longer matches it." \
                 f"\nElement: {element_description}" + _with("Last seen at", last_known_position) + \
                 "\n\nFind where this element is now, allowing for changed looks."
        result = await ask(model, "You find UI elements again after their look changed (color, scale, layout).",
                           prompt, images(ctx, screenshot=screenshot, template=template), HealedTemplate,
                           "submit_healed_template")
        if result.healed and (result.found_at_x is None or result.found_at_y is None):
            ctx.warn("the model said it found the element but gave no position")
            result = result.model_copy(update={"healed": False})
        ctx.set_output("result", result)
        ctx.set_output("x", result.found_at_x or 0)
        ctx.set_output("y", result.found_at_y or 0)
        ctx.activate("exec_out" if result.healed else "exec_failed")
