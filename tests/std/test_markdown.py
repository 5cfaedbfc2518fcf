"""HTML to Markdown."""

from __future__ import annotations

from flowlike_catalog.std.markdown import utils_md_html_to_md

PAGE = ('<h1>Title</h1><p>Some <b>bold</b> and <a href="https://x.org">link</a>.</p><ul><li>one</li><li>two</li>'
        '</ul><script>alert(1)</script><style>p{}</style><iframe src="https://ads.example"></iframe>')


def test_headings_emphasis_links_and_lists_convert_and_scripts_go():
    assert utils_md_html_to_md.func(PAGE, ["script", "style", "iframe"]) == \
        "# Title\n\nSome **bold** and [link](https://x.org).\n\n- one\n- two"


def test_skipped_tags_are_dropped_with_their_content():
    assert utils_md_html_to_md.func('<p>a</p><div class="ad">buy</div>', ["div"]) == "a"
    assert utils_md_html_to_md.func("<p>x</p><ul><li>one</li></ul>", []) == "x\n\n- one"
    assert utils_md_html_to_md.func("<p>x</p><ul><li>one</li></ul>", ["ul"]) == "x"


def test_tables_become_pipe_tables(b):
    html = "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>"
    assert b.compute("utils_md_html_to_md", "markdown", html=html) == "| a | b |\n| --- | --- |\n| 1 | 2 |"
