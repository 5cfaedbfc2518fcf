"""The desktop's accessibility tree through AT-SPI 2 (what screen readers use on Linux): the roles, names, values,
states and screen boxes of the applications' widgets, to find a button by what it says rather than by pixels.

AT-SPI speaks D-Bus on its own bus, whose address the session bus's `org.a11y.Bus` gives (it starts the bus and
the registry on first use); it is spoken here with jeepney, a pure-Python D-Bus client. Applications show up when
their toolkit has accessibility on (GTK and Qt do by default).
"""

from __future__ import annotations

import json
import os
from typing import Any

from flowlike_catalog.automation.session import AutomationSession, live_session, routed, session_in, session_out
from pydantic import BaseModel

from flowlike_core import Context, DataType, NodeType, PinOptions, data_in, data_out, exec_in, exec_out

CATEGORY = "Automation/Computer/Accessibility"
CAPABILITIES = ("processes",)  # talks to other programs over D-Bus, whose activation starts the AT-SPI bus
CACHEABLE = False  # the widgets change between runs
EXTRA = "pip install 'flowlike-nb[automation]'"
REGISTRY = "org.a11y.atspi.Registry"
ROOT = "/org/a11y/atspi/accessible/root"
ACCESSIBLE = "org.a11y.atspi.Accessible"
STATES = (
    "invalid", "active", "armed", "busy", "checked", "collapsed", "defunct", "editable", "enabled", "expandable",
    "expanded", "focusable", "focused", "has_tooltip", "horizontal", "iconified", "modal", "multi_line",
    "multiselectable", "opaque", "pressed", "resizable", "selectable", "selected", "sensitive", "showing",
    "single_line", "stale", "transient", "vertical", "visible", "manages_descendants", "indeterminate", "required",
    "truncated", "animated", "invalid_entry", "supports_autocompletion", "selectable_text", "is_default", "visited",
    "checkable", "has_popup", "read_only",
)
"""AT-SPI's state types in the order of their bits."""
SEARCH_DEPTH = 64


class AccessibilityBounds(BaseModel):
    x: int
    y: int
    width: int
    height: int


class AccessibilityNode(BaseModel):
    """One widget (Flow-Like's fields): its role ("push button"), name, value, screen box, states and actions."""

    role: str = ""
    name: str | None = None
    value: str | None = None
    description: str | None = None
    bounds: AccessibilityBounds | None = None
    states: list[str] = []
    actions: list[str] = []
    children: list[AccessibilityNode] = []


NODE_SCHEMA = AccessibilityNode.model_json_schema()


class Accessibility:
    """A connection to the AT-SPI bus."""

    def __init__(self) -> None:
        try:
            from jeepney import DBusAddress, new_method_call
            from jeepney.io.blocking import open_dbus_connection
        except ImportError:
            raise ImportError(f"the accessibility nodes need jeepney: {EXTRA}") from None
        address = os.environ.get("AT_SPI_BUS_ADDRESS", "")
        if not address:
            if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
                raise ConnectionError("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set): AT-SPI needs one")
            try:
                with open_dbus_connection(bus="SESSION") as session:
                    bus = DBusAddress("/org/a11y/bus", "org.a11y.Bus", "org.a11y.Bus")
                    address = session.send_and_get_reply(new_method_call(bus, "GetAddress"), timeout=10).body[0]
            except Exception as exc:  # noqa: BLE001 - any D-Bus failure means the same to the user
                raise ConnectionError(f"cannot reach the accessibility bus (org.a11y.Bus): {exc}") from None
        self.connection = open_dbus_connection(bus=address)

    async def close(self) -> None:
        self.connection.close()

    def call(self, ref: tuple[str, str], interface: str, method: str, signature: str | None = None,
             *args: Any) -> tuple[Any, ...]:
        from jeepney import DBusAddress, new_method_call
        from jeepney.wrappers import DBusErrorResponse, unwrap_msg

        message = new_method_call(DBusAddress(ref[1], ref[0], interface), method, signature, args)
        try:
            return unwrap_msg(self.connection.send_and_get_reply(message, timeout=10))
        except DBusErrorResponse as exc:
            raise RuntimeError(f"AT-SPI {interface}.{method} on {ref[1]} failed: {exc}") from None

    def prop(self, ref: tuple[str, str], interface: str, name: str) -> Any:
        return self.call(ref, "org.freedesktop.DBus.Properties", "Get", "ss", interface, name)[0][1]

    def children(self, ref: tuple[str, str]) -> list[tuple[str, str]]:
        return [tuple(child) for child in self.call(ref, ACCESSIBLE, "GetChildren")[0]]

    def name(self, ref: tuple[str, str]) -> str:
        return self.prop(ref, ACCESSIBLE, "Name")

    def role(self, ref: tuple[str, str]) -> str:
        return self.call(ref, ACCESSIBLE, "GetRoleName")[0]

    def describe(self, ref: tuple[str, str]) -> AccessibilityNode:
        """The widget without its children."""
        interfaces = set(self.call(ref, ACCESSIBLE, "GetInterfaces")[0])
        bits = self.call(ref, ACCESSIBLE, "GetState")[0]
        states = [name for index, name in enumerate(STATES) if bits[index // 32] >> (index % 32) & 1]
        bounds = value = None
        if "org.a11y.atspi.Component" in interfaces:
            x, y, width, height = self.call(ref, "org.a11y.atspi.Component", "GetExtents", "u", 0)[0]
            bounds = AccessibilityBounds(x=x, y=y, width=width, height=height)
        if "org.a11y.atspi.Text" in interfaces:
            value = self.call(ref, "org.a11y.atspi.Text", "GetText", "ii", 0, -1)[0]
        elif "org.a11y.atspi.Value" in interfaces:
            value = str(self.prop(ref, "org.a11y.atspi.Value", "CurrentValue"))
        actions = [a[0] for a in self.call(ref, "org.a11y.atspi.Action", "GetActions")[0]] \
            if "org.a11y.atspi.Action" in interfaces else []
        return AccessibilityNode(role=self.role(ref), name=self.name(ref) or None, value=value,
                                 description=self.prop(ref, ACCESSIBLE, "Description") or None, bounds=bounds,
                                 states=states, actions=actions)

    def tree(self, ref: tuple[str, str], depth: int) -> AccessibilityNode:
        """The widget with its descendants down to `depth` levels."""
        node = self.describe(ref)
        if depth > 0:
            node.children = [self.tree(child, depth - 1) for child in self.children(ref)]
        return node

    def windows(self) -> list[tuple[str, str]]:
        """The top-level windows of every application."""
        return [window for app in self.children((REGISTRY, ROOT)) for window in self.children(app)]

    def find(self, ref: tuple[str, str], role: str, name: str, depth: int = SEARCH_DEPTH) -> tuple[str, str] | None:
        """The first widget (depth first) whose role and name match: role ignoring case and `_` for spaces, name
        contained ignoring case; an empty role or name matches any."""
        wanted_role, wanted_name = role.replace("_", " ").casefold(), name.casefold()
        todo = [(ref, 0)]
        while todo:
            current, level = todo.pop()
            if ((not wanted_role or self.role(current).casefold() == wanted_role)
                    and (not wanted_name or wanted_name in self.name(current).casefold()) and current != ref):
                return current
            if level < depth:
                todo.extend((child, level + 1) for child in reversed(self.children(current)))
        return None


def accessibility(ctx: Context, session: Any) -> Accessibility:
    """The session's AT-SPI connection, opened on first use and closed with the session."""
    live = live_session(ctx, session)
    found = live.parts.get("accessibility")
    if found is None:
        found = live.parts["accessibility"] = Accessibility()
    return found  # type: ignore[return-value]


class FindAccessibilityElement(NodeType):
    name = "computer_find_accessibility_element"
    friendly_name = "Find Accessibility Element"
    description = ("Finds a widget of any application by its accessibility role (push button, text, check box...) "
                   "and name; x and y are the centre of its box on the screen, to click it.")
    pins = (exec_in(), session_in(),
            data_in("role", DataType.STRING, default="", description="The role, as AT-SPI names it (empty: any)"),
            data_in("name", DataType.STRING, default="", description="Text the name contains (empty: any)"),
            exec_out(), exec_out("exec_not_found", "Not Found", "No widget matches"), session_out(),
            data_out("element", DataType.STRUCT, schema=NODE_SCHEMA),
            data_out("x", DataType.INTEGER), data_out("y", DataType.INTEGER))

    def run(self, ctx: Context, *, session: AutomationSession, role: str, name: str) -> None:
        if not role and not name:
            raise ValueError("give a role or a name to look for")
        tree = accessibility(ctx, session)
        found = tree.find((REGISTRY, ROOT), role, name)
        element = tree.describe(found) if found else None
        box = element.bounds if element else None
        ctx.set_output("session_out", session)
        ctx.set_output("element", element)
        ctx.set_output("x", box.x + box.width // 2 if box else 0)
        ctx.set_output("y", box.y + box.height // 2 if box else 0)
        ctx.activate("exec_out" if found else "exec_not_found")


class GetAccessibilityTree(NodeType):
    name = "computer_get_accessibility_tree"
    friendly_name = "Get Accessibility Tree"
    description = ("The accessibility tree of the window whose title contains window_title (empty: the whole "
                   "desktop, every application); Error fires when AT-SPI is not reachable or no window matches.")
    pins = (exec_in(), session_in(),
            data_in("window_title", DataType.STRING, default=""),
            data_in("max_depth", DataType.INTEGER, default=10, options=PinOptions(range=(0, SEARCH_DEPTH))),
            exec_out(), exec_out("exec_error", "Error"), session_out(),
            data_out("tree", DataType.STRUCT, schema=NODE_SCHEMA), data_out("tree_json", DataType.STRING),
            data_out("error", DataType.STRING))

    def run(self, ctx: Context, *, session: AutomationSession, window_title: str, max_depth: int) -> None:
        ctx.set_output("session_out", session)
        ctx.set_output("tree", None)
        ctx.set_output("tree_json", "")
        try:
            tree = accessibility(ctx, session)
            wanted = window_title.casefold()
            start = next((w for w in tree.windows() if wanted in tree.name(w).casefold()), None) if wanted \
                else (REGISTRY, ROOT)
            if start is None:
                raise LookupError(f"no window titled like {window_title!r} in the accessibility tree")
            found = tree.tree(start, max(0, max_depth))
        except (ConnectionError, LookupError, ImportError, OSError, RuntimeError, TimeoutError) as exc:
            ctx.set_output("error", str(exc))
            routed(ctx, "exec_error", exc)
            return
        ctx.set_output("tree", found)
        ctx.set_output("tree_json", json.dumps(found.model_dump(exclude_none=True), indent=2))
        ctx.set_output("error", "")
        ctx.activate("exec_out")

