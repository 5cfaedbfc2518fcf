"""Match Fingerprint on the shared Chromium (the browser tests' fixtures): broken selectors fall through to the
next that works, strategies pick the kinds, late elements are waited for, a missing one ends in Not Found."""

from __future__ import annotations

from flowlike_catalog.automation.fingerprint import ElementFingerprint
from flowlike_catalog.automation.selector import Selector, SelectorSet


def fingerprint(*selectors: Selector, name: str | None = None) -> dict:
    chosen = SelectorSet()
    for selector in selectors:
        chosen = chosen.add(selector)
    return ElementFingerprint(id="fp", selectors=chosen, name=name).model_dump(mode="json")


def on_page(steps, site: str, path: str, *matches: tuple[dict, dict]):
    """One board: open `path`, then a Match Fingerprint per (fingerprint, defaults); the nodes and the run."""
    s = steps()
    before = [s.step("browser_goto", url=f"{site}{path}")]
    nodes = []
    for print_, defaults in matches:
        node = s.add("fingerprint_match", **defaults)
        s.wire(*s.session, node, "session")
        s.feed(node, fingerprint=print_)
        for log in before:
            s.wire(log, "exec_out", node, "exec_in")
        before = [s.add("log_info", message=f"{len(nodes)} {word}") for word in ("found", "not found")]
        s.wire(node, "exec_found", before[0], "exec_in")
        s.wire(node, "exec_not_found", before[1], "exec_in")
        nodes.append(node)
    return s.ok(), nodes


def said(run) -> list[str]:
    return [line.message for line in run.logs() if line.message[0].isdigit()]


def test_a_broken_selector_heals_to_the_next_that_works(steps, site):
    print_ = fingerprint(Selector(kind="Css", value="#count-button", confidence=1.0),
                         Selector(kind="TestId", value="counter"),
                         Selector(kind="Role", value="button", confidence=0.7), name="Count")
    run, [node] = on_page(steps, site, "/", (print_, {"timeout_ms": 2000}))
    assert said(run) == ["0 found"]
    assert (run.output(node.id, "selector_used"), run.output(node.id, "confidence")) == ("button", 0.7)


def test_the_strategy_picks_the_kinds(steps, site):
    print_ = fingerprint(Selector(kind="AriaLabel", value="Count", confidence=0.9),
                         Selector(kind="Xpath", value="//h1[@id='title']", confidence=0.6))
    run, [dom, accessible] = on_page(steps, site, "/", (print_, {"strategy": "Dom", "timeout_ms": 2000}),
                                     (print_, {"strategy": "Accessibility", "timeout_ms": 2000}))
    assert said(run) == ["0 found", "1 found"]
    assert run.output(dom.id, "selector_used") == "//h1[@id='title']"
    assert run.output(accessible.id, "selector_used") == "Count"


def test_a_late_element_is_waited_for_and_a_missing_one_is_not_found(steps, site):
    missing = fingerprint(Selector(kind="Css", value="#nothing"), Selector(kind="Text", value="No such text"))
    run, [late, gone] = on_page(steps, site, "/late", (fingerprint(Selector(kind="Css", value="#late")),
                                                       {"timeout_ms": 20_000}), (missing, {"timeout_ms": 300}))
    assert said(run) == ["0 found", "1 not found"]
    assert run.output(late.id, "confidence") == 0.8
    assert (run.output(gone.id, "found"), run.output(gone.id, "selector_used")) == (False, "")
