"""Screenshots and snapshots of the DOM, the accessibility tree and single elements."""

from __future__ import annotations

import base64
import io

from flowlike_catalog.media.image import pil_image
from PIL import Image


def test_screenshots_come_as_png_text_and_image_handles(steps, site) -> None:
    s = steps(viewport_width=800, viewport_height=600)
    s.step("browser_goto", url=f"{site}/form")
    view = s.step("browser_screenshot")
    whole = s.step("browser_screenshot", full_page=True)
    title = s.step("browser_goto", url=f"{site}/")
    heading = s.step("browser_screenshot_element", selector="#title")
    box = s.step("browser_get_element_snapshot", selector="#title")
    run = s.ok()
    png = Image.open(io.BytesIO(base64.b64decode(run.output(view.id, "screenshot"))))
    assert (png.format, png.size) == ("PNG", (800, 600))
    image = run.output(view.id, "image")
    assert (image.width, image.height) == (800, 600) and pil_image(image).size == (800, 600)
    assert run.output(whole.id, "image").height > 4000
    assert run.output(title.id, "final_url") == f"{site}/"
    shot = pil_image(run.output(heading.id, "image"))
    assert abs(shot.width - run.output(box.id, "width")) <= 1 and abs(shot.height - run.output(box.id, "height")) <= 1
    assert shot.convert("RGB").getpixel((shot.width - 1, shot.height - 1)) == (255, 255, 255)


def test_element_snapshots_and_not_found(steps, site) -> None:
    s = steps()
    s.step("browser_goto", url=f"{site}/")
    title = s.step("browser_get_element_snapshot", selector="#title")
    hidden = s.add("browser_get_element_snapshot", selector="#hidden")
    s.chain(title, hidden)
    s.wire(title, "session_out", hidden, "session")
    missing = s.add("browser_get_element_snapshot", selector="#nowhere")
    s.chain(hidden, missing)
    s.wire(hidden, "session_out", missing, "session")
    s.on(missing, "exec_not_found", "not found")
    s.on(missing, "exec_out", "found")
    run = s.ok()
    facts = {pin: run.output(title.id, pin) for pin in ("html", "text", "tag", "visible")}
    assert facts == {"html": '<h1 id="title">Welcome</h1>', "text": "Welcome", "tag": "h1", "visible": True}
    assert run.output(title.id, "width") > 0 and run.output(title.id, "height") > 0
    assert (run.output(hidden.id, "visible"), run.output(hidden.id, "width")) == (False, 0)
    assert s.said(run) == ["not found"]


def test_dom_snapshot_with_and_without_styles(steps, site) -> None:
    s = steps(viewport_width=900, viewport_height=700)
    s.step("browser_goto", url=f"{site}/form")
    s.step("browser_scroll_into_view", selector="#bottom")
    form = s.step("browser_get_dom_snapshot")
    s.step("browser_goto", url=f"{site}/")
    plain = s.step("browser_get_dom_snapshot")
    styled = s.step("browser_get_dom_snapshot", include_styles=True)
    run = s.ok()
    snapshot = run.output(form.id, "snapshot")
    assert (snapshot.title, snapshot.url, snapshot.viewport_width, snapshot.viewport_height) == (
        "Form", f"{site}/form", 900, 700)
    assert snapshot.scroll_y > 1000 and snapshot.scroll_x == 0
    assert (run.output(plain.id, "title"), run.output(plain.id, "url")) == ("Home", f"{site}/")
    assert '<link rel="stylesheet" href="/style.css">' in run.output(plain.id, "html")
    html = run.output(styled.id, "html")
    assert "stylesheet" not in html and "<style>h1 { color: rgb(1, 2, 3); }</style>" in html
    assert '<h1 id="title">Welcome</h1>' in html


def walk(tree):
    yield tree
    for child in tree.children:
        yield from walk(child)


def test_accessibility_snapshot_is_chromiums_tree(steps, site) -> None:
    s = steps()
    s.step("browser_goto", url=f"{site}/")
    s.step("browser_click", selector="#counter")
    full = s.step("browser_get_accessibility_snapshot", max_depth=-1)
    shallow = s.step("browser_get_accessibility_snapshot", max_depth=0)
    hidden = s.step("browser_get_accessibility_snapshot", max_depth=-1, include_hidden=True)
    run = s.ok()
    tree = run.output(full.id, "tree")
    nodes = list(walk(tree))
    assert (tree.role, tree.name) == ("RootWebArea", "Home")
    roles = {(node.role, node.name) for node in nodes}
    assert {("heading", "Welcome"), ("link", "Form"), ("navigation", "Main")} <= roles
    button = next(node for node in nodes if node.role == "button")
    assert (button.name, button.focused) == ("Count", True)
    assert not any("secret" in (node.name or "") for node in nodes)
    assert run.output(shallow.id, "tree").children == []
    assert len(list(walk(run.output(hidden.id, "tree")))) > len(nodes)
    assert '"role": "RootWebArea"' in run.output(full.id, "tree_json")
