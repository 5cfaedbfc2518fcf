"""The automation LLM nodes on boards against the llm pack's scripted chat server (127.0.0.1, OpenAI and Anthropic
wire formats): what goes out (the screenshot as an image, the forced tool and its schema with the allowed
choices) and where the answers route."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from flowlike_catalog.automation import PACK
from flowlike_catalog.automation.llm_healing import selector_problem
from flowlike_catalog.automation.llm_screen import image_url
from flowlike_catalog.automation.llm_vision import example_schema
from flowlike_catalog.llm import PACK as LLM_PACK
from flowlike_catalog.llm.testing import ChatServer, Recorded, Reply
from flowlike_catalog.media.image import keep_image
from pack_builder import Builder

from flowlike_core import Node, NodeStatus

PAGE = """<html><body><form id="login"><input name="user"><button data-testid="sign-in" class="btn primary">
Sign in</button></form></body></html>"""


def png(color: str = "red", size: tuple[int, int] = (8, 6)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


SHOT = base64.b64encode(png()).decode()


@pytest.fixture(scope="module")
def chat() -> Iterator[ChatServer]:
    with ChatServer() as server:
        yield server


@pytest.fixture
def server(chat: ChatServer) -> Iterator[ChatServer]:
    chat.reset()
    yield chat
    chat.reset()


class Flow(Builder):
    def __init__(self, server: ChatServer, provider: str = "openai") -> None:
        super().__init__(PACK, LLM_PACK)
        if provider == "openai":
            self.model = self.add("ai_generative_build_openai", endpoint=server.url + "/v1", api_key="sk-test",
                                  model_id="vision-test")
        else:
            self.model = self.add("ai_generative_build_anthropic", endpoint=server.url, api_key="sk-test",
                                  model_id="vision-test")

    def node(self, key: str, **defaults: Any) -> Node:
        node = self.add(key, **defaults)
        self.wire(self.model, "model", node, "model")
        return node

    def go(self, node: Node, **routes: str) -> Any:
        """Run start -> model -> node; each keyword wires that exec output to a log of its name."""
        for out in routes.values():
            log = self.add("log_info", message=out)
            self.wire(node, out, log, "exec_in")
        self.chain(self.add("events_simple"), self.model, node)
        return self.run()


def said(run: Any) -> list[str]:
    return [line.message for line in run.logs()]


def tool_of(request: Recorded) -> dict[str, Any]:
    """The one tool offered (OpenAI format) after checking the model was made to call it."""
    [tool] = request.body["tools"]
    assert request.body["tool_choice"] == {"type": "function", "function": {"name": tool["function"]["name"]}}
    return tool["function"]


def image_parts(request: Recorded) -> list[str]:
    return [part["image_url"]["url"] for part in request.body["messages"][-1]["content"]
            if part["type"] == "image_url"]


def test_observe_sends_the_screenshot_and_reads_the_struct(server):
    observation = {"description": "A login page", "app_context": "Example web app",
                   "interactive_elements": [{"element_type": "button", "description": "Sign in",
                                             "approximate_location": "center", "is_interactive": True}],
                   "text_content": ["Welcome"]}
    server.expect(Reply(tool_calls=[("submit_observation", observation)]))
    flow = Flow(server)
    node = flow.node("llm_observe_screen", screenshot=SHOT, focus_area="the form")
    run = flow.go(node)
    assert run.output(node.id, "description") == "A login page"
    assert run.output(node.id, "elements")[0]["description"] == "Sign in"
    assert run.output(node.id, "observation").possible_actions == []
    request = server.requests[0]
    assert request.path == "/v1/chat/completions" and request.body["model"] == "vision-test"
    assert tool_of(request)["name"] == "submit_observation"
    assert image_parts(request) == [f"data:image/png;base64,{SHOT}"]
    assert "Focus on: the form" in request.last_text()


def test_classify_limits_the_state_to_the_expected_ones_and_repairs_once(server):
    answer = {"screen_type": "dashboard", "state": "loading", "visible_elements": ["spinner"], "confidence": 0.7}
    server.expect(Reply(tool_calls=[("submit_classification", {**answer, "state": "busy"})]),
                  Reply(tool_calls=[("submit_classification", answer)]))
    flow = Flow(server)
    node = flow.node("llm_classify_screen", screenshot=SHOT, expected_states="ready, loading,error")
    run = flow.go(node)
    assert (run.output(node.id, "screen_type"), run.output(node.id, "state")) == ("dashboard", "loading")
    state = tool_of(server.requests[0])["parameters"]["properties"]["state"]
    assert state["enum"] == ["ready", "loading", "error"]
    assert len(server.requests) == 2 and "state" in json.dumps(server.requests[1].body["messages"][-1])


@pytest.mark.parametrize(("found", "route"), [(True, "exec_out"), (False, "exec_not_found")])
def test_find_element_routes_found_and_not_found_over_anthropic(server, found, route):
    location = {"found": found, "x": 40, "y": 12, "confidence": 0.9, "description": "the Sign in button"}
    server.expect(Reply(tool_calls=[("submit_element_location", location)]))
    flow = Flow(server, "anthropic")
    node = flow.node("llm_find_element", screenshot=f"data:image/png;base64,{SHOT}", description="Sign in button")
    run = flow.go(node, found="exec_out", missing="exec_not_found")
    assert said(run) == [route]
    assert run.output(node.id, "location").x == 40
    request = server.requests[0]
    assert request.path == "/v1/messages"
    image = request.body["messages"][0]["content"][0]
    assert image == {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": SHOT}}


def test_rank_candidates_allows_only_their_ids_and_sorts_by_rank(server):
    candidates = [{"id": "a", "description": "Cancel button", "x": 10, "y": 50},
                  {"id": "b", "description": "Save button", "x": 90, "y": 50, "selector": "#save"}]
    ranking = {"best_match_id": "b", "confidence": 0.8, "ranked_candidates": [
        {"id": "a", "rank": 2, "score": 0.1, "reasoning": "cancels", "is_recommended": False},
        {"id": "b", "rank": 1, "score": 0.9, "reasoning": "saves", "is_recommended": True}]}
    server.expect(Reply(tool_calls=[("submit_ranking", ranking)]))
    flow = Flow(server)
    node = flow.node("llm_rank_candidates", screenshot=SHOT, criteria="save the form")
    flow.feed(node, candidates=candidates)
    run = flow.go(node)
    assert run.output(node.id, "best_match") == "b"
    assert [c["id"] for c in run.output(node.id, "ranked")] == ["b", "a"]
    schema = tool_of(server.requests[0])["parameters"]
    assert schema["properties"]["best_match_id"]["enum"] == ["a", "b"]
    assert "- [b] Save button at (90, 50), selector #save" in server.requests[0].last_text()


@pytest.mark.parametrize(("answer", "route", "xy"), [
    ({"resolved": True, "selected_index": 1, "reasoning": "the second"}, "exec_out", (300, 40)),
    ({"resolved": False, "reasoning": "both fit"}, "exec_ambiguous", (None, None)),
])
def test_resolve_element_takes_the_chosen_candidates_position(server, answer, route, xy):
    server.expect(Reply(tool_calls=[("submit_resolution", answer)]))
    flow = Flow(server)
    node = flow.node("llm_resolve_element", screenshot=SHOT, intent="open settings",
                     candidates=json.dumps([{"index": 0, "x": 20, "y": 40, "description": "Help"},
                                            {"index": 1, "x": 300, "y": 40, "description": "Settings"}]))
    run = flow.go(node, ok="exec_out", unsure="exec_ambiguous")
    assert said(run) == [route]
    result = run.output(node.id, "result")
    assert (result.x, result.y) == xy


def test_extract_from_screen_takes_an_example_or_a_schema(server):
    server.expect(Reply(tool_calls=[("submit_extraction", {"total": 42.5, "items": ["tea"]})]),
                  Reply(tool_calls=[("submit_extraction", {"value": ["a", "b"]})]))
    flow = Flow(server)
    example = flow.node("llm_extract_from_screen", screenshot=SHOT, schema='{"total": 1.0, "items": ["x"]}')
    array = flow.node("llm_extract_from_screen", screenshot=SHOT, schema='{"type": "array", "items": '
                                                                         '{"type": "string"}}')
    flow.chain(flow.add("events_simple"), flow.model, example, array)
    run = flow.run()
    assert run.output(example.id, "data") == {"total": 42.5, "items": ["tea"]}
    assert run.output(array.id, "data") == ["a", "b"]
    assert tool_of(server.requests[0])["parameters"]["required"] == ["total", "items"]
    assert example_schema([{"ok": True, "n": None}]) == {"type": "array", "items": {
        "type": "object", "properties": {"ok": {"type": "boolean"}, "n": {"type": "null"}}, "required": ["ok", "n"]}}


def test_plan_actions_uses_only_the_available_actions(server):
    plan = {"goal_understood": True, "current_state_assessment": "login form", "confidence": 0.9,
            "actions": [{"action_type": "type", "target": "user field", "parameters": {"text": "ann"},
                         "reasoning": "fill in"}, {"action_type": "click", "target": "Sign in", "reasoning": "go"}]}
    server.expect(Reply(tool_calls=[("submit_action_plan", plan)]))
    flow = Flow(server)
    node = flow.node("llm_plan_actions", screenshot=SHOT, goal="log in as ann", available_actions='["click", "type"]')
    run = flow.go(node)
    assert run.output(node.id, "first_action").parameters == {"text": "ann"}
    assert [a["action_type"] for a in run.output(node.id, "actions")] == ["type", "click"]
    items = tool_of(server.requests[0])["parameters"]
    action = items["$defs"]["PlannedAction"]["properties"]["action_type"]
    assert action["enum"] == ["click", "type"]


@pytest.mark.parametrize(("reached", "route"), [(True, "exec_goal_reached"), (False, "exec_out")])
def test_suggest_next_step_notices_the_goal(server, reached, route):
    step = {"goal_reached": reached, "action_type": "click", "target_description": "Next", "reasoning": "r",
            "confidence": 0.6, "target_coordinates": [5, 6]}
    server.expect(Reply(tool_calls=[("submit_next_step", step)]))
    flow = Flow(server)
    node = flow.node("llm_suggest_next_step", screenshot=SHOT, goal="finish the wizard",
                     completed_actions='["click Start"]', last_result="page 2 shown")
    run = flow.go(node, next="exec_out", done="exec_goal_reached")
    assert said(run) == [route]
    assert (run.output(node.id, "action_type"), run.output(node.id, "target")) == ("click", "Next")
    assert "Actions done so far: [\"click Start\"]" in server.requests[0].last_text()


@pytest.mark.parametrize(("healed", "route"), [(True, "exec_out"), (False, "exec_failed")])
def test_diagnose_and_heal(server, healed, route):
    answer = {"healed": healed, "confidence": 0.8, "new_value": "[data-testid=sign-in]" if healed else None,
              "diagnosis": {"failure_type": "element_not_found", "root_cause": "id renamed", "severity": "medium",
                            "recoverable": healed}}
    server.expect(Reply(tool_calls=[("submit_diagnosis_and_healing", answer)]))
    flow = Flow(server)
    node = flow.node("llm_diagnose_and_heal", error_message="no element #signin", action_type="click",
                     action_target="#signin", page_html=PAGE)
    run = flow.go(node, healed="exec_out", failed="exec_failed")
    assert said(run) == [route]
    assert run.output(node.id, "diagnosis").root_cause == "id renamed"
    assert run.output(node.id, "new_value") == ("[data-testid=sign-in]" if healed else "")
    assert isinstance(server.requests[0].body["messages"][-1]["content"], str)  # no screenshot: text only
    assert 'data-testid="sign-in"' in server.requests[0].last_text()


def test_heal_selector_keeps_the_first_proposal_that_works_on_the_page(server):
    answer = {"healed": True, "new_selector": "#signin", "confidence": 0.9, "reasoning": "id changed",
              "alternatives": ["form#login button.btn.primary", "[data-testid='sign-in']"]}
    server.expect(Reply(tool_calls=[("submit_healed_selector", answer)]),
                  Reply(tool_calls=[("submit_healed_selector", {**answer, "alternatives": ["div.gone"]})]))
    flow = Flow(server)
    first = flow.node("llm_heal_selector", screenshot=SHOT, page_html=PAGE, broken_selector="#signin",
                      element_description="the Sign in button")
    second = flow.node("llm_heal_selector", page_html=PAGE, broken_selector="#signin",
                       element_description="the Sign in button")
    failed = flow.add("log_info", message="failed")
    flow.wire(second, "exec_failed", failed, "exec_in")
    flow.chain(flow.add("events_simple"), flow.model, first, second)
    run = flow.run()
    assert run.output(first.id, "new_selector") == "form#login button.btn.primary"
    assert run.output(second.id, "new_selector") == "" and run.output(second.id, "result").healed is False
    assert said(run)[-1] == "failed"
    assert any("'#signin' rejected: the CSS selector matches nothing" in m for m in said(run))


@pytest.mark.parametrize(("selector", "kind", "problem"), [
    ("//button[@data-testid='sign-in']", "xpath", ""),
    ("//button[@id='x']", "xpath", "matches nothing"),
    ("//button[", "xpath", "does not work"),
    ("button:has-text('Sign in')", "css", ""),
    ("button[", "css", "does not parse"),
    ("button", "accessibility", ""),
])
def test_selector_problem_checks_on_the_html(selector, kind, problem):
    found = selector_problem(PAGE, selector, kind)
    assert problem in found if problem else found == ""


def test_heal_template_sends_both_images_and_gives_the_position(server):
    answer = {"healed": True, "found_at_x": 120, "found_at_y": 44, "confidence": 0.75, "reasoning": "restyled",
              "visual_changes_detected": ["color"]}
    server.expect(Reply(tool_calls=[("submit_healed_template", answer)]))
    flow = Flow(server)
    template = base64.b64encode(png("blue", (3, 3))).decode()
    node = flow.node("llm_heal_template", screenshot=SHOT, template=template, element_description="save icon",
                     last_known_position="100,40")
    run = flow.go(node)
    assert (run.output(node.id, "x"), run.output(node.id, "y")) == (120, 44)
    assert image_parts(server.requests[0]) == [f"data:image/png;base64,{SHOT}",
                                               f"data:image/png;base64,{template}"]


def test_describe_element_takes_an_image_handle(server):
    from PIL import Image

    server.expect(Reply(tool_calls=[("submit_element_description", {
        "element_type": "button", "visual_description": "a green button", "purpose": "submit",
        "current_state": "enabled"})]))
    handle = keep_image(None, Image.new("RGB", (4, 4), "green"))
    flow = Flow(server)
    node = flow.node("llm_describe_element", x=2, y=3)
    flow.feed(node, screenshot=handle)
    run = flow.go(node)
    assert run.output(node.id, "description") == "a green button"
    sent = image_parts(server.requests[0])[0]
    assert sent.startswith("data:image/png;base64,")
    assert Image.open(io.BytesIO(base64.b64decode(sent.partition(",")[2]))).getpixel((0, 0)) == (0, 128, 0)


def test_bad_screenshots_and_a_server_that_is_down_fail_clearly(server):
    assert image_url(None, base64.b64encode(b"GIF89a...").decode()).startswith("data:image/gif;base64,")
    with pytest.raises(ValueError, match="screenshot: text must be a base64-encoded image"):
        image_url(None, "not an image!")
    with pytest.raises(ValueError, match="not a PNG, JPEG, GIF or WebP"):
        image_url(None, base64.b64encode(b"plain text").decode())
    with pytest.raises(TypeError, match="must be an image handle"):
        image_url(None, {"kind": "other"})
    flow = Builder(PACK, LLM_PACK)
    model = flow.add("ai_generative_build_openai", endpoint="http://127.0.0.1:9/v1", model_id="m")
    node = flow.add("llm_observe_screen", screenshot=SHOT)
    flow.wire(model, "model", node, "model")
    flow.chain(flow.add("events_simple"), model, node)
    run = flow.board.run(registry=flow.registry)
    trace = run.traces_of(node.id)[0]
    assert trace.status == NodeStatus.FAILED and "cannot reach OpenAI at http://127.0.0.1:9/v1" in trace.error
