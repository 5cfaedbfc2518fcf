"""What the editor tells about nodes and runs: declared capabilities, image thumbnails, cached nodes, run to here."""

from __future__ import annotations

import json
import re

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import Locator, expect
from test_editor import SETUP, node_box

pytestmark = pytest.mark.browser

EXTRA = '''
import io
from PIL import Image
from flowlike_catalog.media.image import ImageRef, keep_image
from flowlike_core import Context, storage
from flowlike_core.storage import BlobRef

@node(category="Browser test", exec_pins=True, capabilities=["network", "files"])
def bt_fetch(url: str = "http://example.invalid") -> int:
    "Pretends to download a page."
    return len(url)

@node(category="Browser test", exec_pins=True)
def bt_picture(ctx: Context) -> ImageRef:
    "A 400 x 200 picture, as the media pack hands images on."
    return keep_image(ctx, Image.new("RGB", (400, 200), (30, 120, 200)))

@node(category="Browser test", exec_pins=True)
def bt_stored_picture() -> BlobRef:
    "A 90 x 300 PNG in the content store."
    data = io.BytesIO()
    Image.new("RGBA", (90, 300), (200, 30, 30, 255)).save(data, "PNG")
    return storage.current().app("default").blobs.put(data.getvalue(), "image/png")

board.apply(commands.Batch([
    commands.AddNode(bt_fetch.create(node_id="fetch", coordinates=(620, 200, 0))),
    commands.AddNode(bt_picture.create(node_id="picture", coordinates=(20, 200, 0))),
    commands.AddNode(bt_stored_picture.create(node_id="stored", coordinates=(300, 200, 0))),
    commands.Disconnect("double", "exec_out", "report", "exec_in"),
    commands.Connect("double", "exec_out", "picture", "exec_in"),
    commands.Connect("picture", "exec_out", "stored", "exec_in"),
    commands.Connect("stored", "exec_out", "report", "exec_in"),
]))
'''
SHOW = "editor = BoardEditor(board, height='620px')\neditor"
NODES = 7


def open_editor(notebook: NotebookPage, test_name: str) -> Locator:
    return notebook.open_editor(test_name, [SETUP + EXTRA, SHOW], NODES)


def image_size(image: Locator) -> dict[str, list[int]]:
    """The <img>'s own size (the thumbnail's pixels) and the size it is drawn at."""
    return image.evaluate("(e) => ({natural: [e.naturalWidth, e.naturalHeight], "
                          "shown: [e.clientWidth, e.clientHeight]})")


@pytest.mark.parametrize("frontend", ["lab"])
def test_capabilities_show_in_the_inspector_and_the_search_popup(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "capabilities")
    node_box(editor, "fetch").get_by_test_id("node-title").click()
    reaches = editor.get_by_test_id("inspector-capabilities")
    expect(reaches).to_have_attribute("data-capabilities", "files network")
    expect(reaches.get_by_test_id("capability")).to_have_count(2)
    expect(reaches.locator("[data-capability='network']")).to_have_text("net")
    node_box(editor, "double").get_by_test_id("node-title").click()
    expect(reaches).to_contain_text("nothing outside the run")

    editor.get_by_test_id("toolbar-palette").click()
    palette = editor.get_by_test_id("palette")
    palette.get_by_test_id("palette-search").fill("pretends to download")
    entry = palette.locator("[data-testid='palette-entry'][data-node-type='bt_fetch']")
    expect(entry).to_have_attribute("data-capabilities", "files network", timeout=30_000)  # the first search
    expect(entry.get_by_test_id("capability")).to_have_count(2)


@pytest.mark.parametrize("frontend", ["lab"])
def test_image_values_show_as_thumbnails_in_the_tooltip_and_the_inspector(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "thumbnails")
    editor.get_by_test_id("toolbar-run").click()
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", "Success", timeout=30_000)

    output = "[data-testid='pin'][data-direction='out'][data-kind='data'] .fl-pin-label"
    node_box(editor, "picture").locator(output).hover()
    tooltip = editor.get_by_test_id("pin-tooltip")
    image = tooltip.get_by_test_id("value-image")
    expect(image).to_be_visible()
    notebook_page.wait_until(lambda: image_size(image)["natural"] == [160, 80], 30, "the thumbnail to load")
    assert image_size(image)["shown"] == [160, 80]
    expect(tooltip).to_contain_text("400 × 200")

    node_box(editor, "stored").get_by_test_id("node-title").click()
    stored = editor.locator("[data-testid='inspector-value'][data-direction='out']").get_by_test_id("value-image")
    expect(stored).to_be_visible()
    notebook_page.wait_until(lambda: image_size(stored)["natural"][1] == 160, 30, "the thumbnail to load")
    assert image_size(stored)["natural"][0] in (47, 48) and image_size(stored)["shown"][1] == 160
    src = stored.get_attribute("src") or ""
    assert src.startswith("data:image/webp;base64,") and len(src) < 20_000, "a thumbnail, not the image"


@pytest.mark.parametrize("frontend", ["lab"])
def test_run_to_here_and_cached_nodes_in_their_colour_light_and_dark(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "cached")
    page = notebook_page.page
    node_box(editor, "double").get_by_test_id("node-title").click(button="right")
    editor.get_by_test_id("context-menu").locator("[data-label='Run to here']").click()
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", "Success", timeout=30_000)
    expect(node_box(editor, "double")).to_have_attribute("data-status", "succeeded")
    expect(node_box(editor, "report")).to_have_attribute("data-status", "skipped")  # the run stopped at double
    assert notebook_page.run_code("editor.wait(30)\nprint([t.node_id for t in editor.last_run.traces])") \
        == "['start', 'double']"

    # A run whose double came from the result cache (as the cache tells the run's listeners).
    notebook_page.run_code(
        "editor.send({'type': 'run_events', 'events': [{'kind': 'run_started'}, "
        "{'kind': 'node_finished', 'node_id': 'start', 'status': 'Success', 'duration': 0.001}, "
        "{'kind': 'node_finished', 'node_id': 'double', 'status': 'Success', 'cached': True, 'duration': 0}], "
        "'summary': {'status': 'Success', 'duration': 0.01, 'error': None, 'error_node': None}})")
    double = node_box(editor, "double")
    expect(double).to_have_attribute("data-status", "cached")
    legend = editor.get_by_test_id("status-legend")
    expect(legend.locator("[data-status='cached']")).to_have_text("1 cached")
    expect(legend.locator("[data-status='succeeded']")).to_have_text("1 succeeded")

    def colours() -> dict[str, str]:
        return json.loads(double.evaluate("""(e) => JSON.stringify({
            ring: getComputedStyle(e).boxShadow,
            badge: getComputedStyle(e.querySelector('[data-testid=node-status]')).backgroundColor,
            start: getComputedStyle(document.querySelector('[data-node-id=start]')).boxShadow,
            legend: getComputedStyle(document.querySelector('[data-testid=legend-item][data-status=cached]'),
                                     '::before').backgroundColor})"""))

    light = colours()
    assert light["badge"] == "rgb(0, 172, 193)" and "rgb(0, 172, 193)" in light["ring"], light
    assert light["legend"] == light["badge"] and light["start"] != light["ring"], "cached is not succeeded"
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
    dark = colours()
    assert dark["badge"] == "rgb(38, 198, 218)" and dark["legend"] == dark["badge"], dark
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'", timeout=30_000)


TELLING = '''
from functools import partial
from flowlike_core import Context
from flowlike_core.cache import ResultCache
from flowlike_core.executor import start_run

@node(category="Browser test")
def bt_tell(ctx: Context, n: int = 4) -> int:
    "Pure: logs what it works out (the result cache serves it on the next run and tells the line again)."
    ctx.info(f"working out {n} + 1")
    return n + 1

board.apply(commands.AddNode(bt_tell.create(node_id="tell", coordinates=(20, 200, 0))))
board.apply(commands.Connect("tell", "result", "double", "x"))
'''
CACHING = "editor = BoardEditor(board, height='620px', starter=partial(start_run, cache=ResultCache()))\neditor"


@pytest.mark.parametrize("frontend", ["lab"])
def test_log_lines_the_result_cache_replays_are_marked(notebook_page: NotebookPage) -> None:
    editor = notebook_page.open_editor("replayed", [SETUP + TELLING, CACHING], 5)
    tell = node_box(editor, "tell")
    editor.get_by_test_id("toolbar-run").click()
    expect(tell).to_have_attribute("data-status", "succeeded", timeout=30_000)
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", "Success", timeout=30_000)
    tell.get_by_test_id("node-title").click()
    inspector = editor.get_by_test_id("inspector")
    line = inspector.get_by_test_id("log-line")
    expect(line).to_have_count(1)
    expect(line).to_have_attribute("data-replayed", "false")
    expect(line).to_have_text("[Info] working out 4 + 1")
    expect(inspector.get_by_test_id("log-replayed")).to_have_count(0)

    # The second run: tell is served from the cache, and its line (logged by the first run) says it was replayed.
    editor.get_by_test_id("toolbar-run").click()
    expect(tell).to_have_attribute("data-status", "cached", timeout=30_000)
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", "Success", timeout=30_000)
    expect(inspector.get_by_test_id("inspector-duration")).to_contain_text("served from the result cache")
    expect(line).to_have_count(1)
    expect(line).to_have_attribute("data-replayed", "true")
    expect(line).to_have_class(re.compile(r"\bfl-log-replayed\b"))
    expect(line.get_by_test_id("log-replayed")).to_have_text("replayed")
    expect(line).to_contain_text("[Info] working out 4 + 1")
    assert "Replayed from the result cache" in (line.get_attribute("title") or "")
    expect(tell.get_by_test_id("node-status")).to_have_attribute("title", "served from the result cache")
    expect(tell.get_by_test_id("node-status")).to_have_text("cached")
    assert notebook_page.run_code("editor.wait(30)\nprint([(t.cached, [getattr(line, 'replayed', False) for line "
                                  "in t.logs]) for t in editor.last_run.traces if t.node_id == 'tell'])") \
        == "[(True, [True])]"
