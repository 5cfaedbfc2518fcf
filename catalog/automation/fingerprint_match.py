"""Finding a fingerprinted element on the session's browser page: the self-healing locator itself.

The fingerprint's selectors are tried in fallback order, each the Playwright way for its kind (CSS, XPath, test
id, role with the fingerprint's accessible name, label, text, placeholder, alt text, title; within its scope when
it has one), round after round until one finds an element or the time is up. A broken first selector costs
nothing but that try: the next one that still works finds the element, and Selector Used says which it was.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from flowlike_catalog.automation.browser import page_of
from flowlike_catalog.automation.fingerprint import FINGERPRINT_SCHEMA, ElementFingerprint
from flowlike_catalog.automation.selector import Selector
from flowlike_catalog.automation.session import AutomationSession, session_in

from flowlike_core import Context, DataType, NodeType, PinOptions, data_in, data_out, exec_in, exec_out

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

CATEGORY = "Automation/Fingerprint"
CAPABILITIES = ("processes", "network", "files")  # drives the session's browser
STRATEGY_KINDS = {
    "Dom": {"Css", "Xpath", "TestId", "Text", "TextExact", "Placeholder", "AltText", "Title"},
    "Accessibility": {"Role", "AriaLabel"},
}
"""The selector kinds each strategy tries; Hybrid tries every kind a page can answer (all but Image)."""
POLL_SECONDS = 0.1
UNSET_CONFIDENCE = 0.8


def locator(root: Page | Locator, selector: Selector, name: str | None) -> Locator | None:
    """The Playwright locator for a selector (None for an Image selector: pixels, not the page, answer those)."""
    if selector.scope:
        root = root.locator(selector.scope)
    value, kind = selector.value, selector.kind
    if kind == "Css":
        return root.locator(value)
    if kind == "Xpath":
        return root.locator(f"xpath={value}")
    if kind == "TestId":
        return root.get_by_test_id(value)
    if kind == "Role":
        return root.get_by_role(value, name=name) if name else root.get_by_role(value)  # type: ignore[arg-type]
    if kind == "AriaLabel":
        return root.get_by_label(value)
    if kind in ("Text", "TextExact"):
        return root.get_by_text(value, exact=kind == "TextExact")
    if kind == "Placeholder":
        return root.get_by_placeholder(value)
    if kind == "AltText":
        return root.get_by_alt_text(value)
    if kind == "Title":
        return root.get_by_title(value)
    return None


class MatchFingerprint(NodeType):
    name = "fingerprint_match"
    friendly_name = "Match Fingerprint"
    description = ("Finds the fingerprinted element on the session's page: tries its selectors in fallback order "
                   "(those the strategy allows) until one finds an element or the timeout passes. Found fires with "
                   "the selector that worked and its confidence; Not Found otherwise.")
    pins = (exec_in(), session_in(),
            data_in("fingerprint", DataType.STRUCT, schema=FINGERPRINT_SCHEMA, required=True),
            data_in("strategy", DataType.STRING, default="Hybrid",
                    options=PinOptions(valid_values=["Dom", "Accessibility", "Hybrid"]),
                    description="Dom: CSS, XPath, test id and text kinds; Accessibility: role and label; Hybrid: all"),
            data_in("timeout_ms", DataType.INTEGER, default=5000, friendly_name="Timeout (ms)",
                    options=PinOptions(range=(0, 86_400_000))),
            exec_out("exec_found", "Found"), exec_out("exec_not_found", "Not Found"),
            data_out("found", DataType.BOOLEAN),
            data_out("selector_used", DataType.STRING),
            data_out("confidence", DataType.FLOAT))

    async def run(self, ctx: Context, *, session: AutomationSession, fingerprint: ElementFingerprint, strategy: str,
                  timeout_ms: int) -> None:
        from playwright.async_api import Error

        if strategy not in ("Dom", "Accessibility", "Hybrid"):
            raise ValueError(f"unknown strategy {strategy!r}: use Dom, Accessibility or Hybrid")
        if timeout_ms < 0:
            raise ValueError(f"timeout_ms must not be negative, got {timeout_ms}")
        page = page_of(ctx, session, f"matching fingerprint {fingerprint.id!r}")
        kinds = STRATEGY_KINDS.get(strategy)
        tries = [(s, found) for s in fingerprint.selectors.by_priority() if kinds is None or s.kind in kinds
                 if (found := locator(page, s, fingerprint.name)) is not None]
        if not tries:
            ctx.warn(f"fingerprint {fingerprint.id!r} has no selector the {strategy} strategy can use")
        deadline = time.monotonic() + timeout_ms / 1000
        while tries:
            for selector, candidate in tries:
                try:
                    count = await candidate.count()
                except Error as error:  # a selector the page's engine rejects: skip it, the next may work
                    ctx.warn(f"selector {selector.value!r} ({selector.kind}) does not work: {error.message}")
                    tries = [t for t in tries if t[0] is not selector]
                    continue
                if count:
                    return self._found(ctx, selector)
            if time.monotonic() >= deadline:
                break
            await asyncio.sleep(POLL_SECONDS)
            ctx.check_cancelled()
        ctx.set_output("found", False)
        ctx.set_output("selector_used", "")
        ctx.set_output("confidence", 0.0)
        ctx.activate("exec_not_found")

    @staticmethod
    def _found(ctx: Context, selector: Selector) -> None:
        ctx.set_output("found", True)
        ctx.set_output("selector_used", selector.value)
        ctx.set_output("confidence", UNSET_CONFIDENCE if selector.confidence is None else selector.confidence)
        ctx.activate("exec_found")

