"""Where notebook values live: the IPython user namespace (or `__main__` outside IPython), and tables."""

from __future__ import annotations

import html
import sys
from typing import Any

from flowlike_core.errors import UnknownVariableError


def user_namespace() -> dict[str, Any]:
    """The namespace cells run in; a plain script's `__main__` when there is no IPython shell."""
    try:
        from IPython import get_ipython
    except ImportError:
        shell = None
    else:
        shell = get_ipython()
    if shell is not None:
        return shell.user_ns
    return vars(sys.modules["__main__"])


def assign(name: str, value: Any) -> None:
    """Put a run's value into the notebook; Arrow tables (how tables travel between nodes) arrive as pandas
    DataFrames, the table type notebooks work with."""
    user_namespace()[name] = as_dataframe(value)


def as_dataframe(value: Any) -> Any:
    """A pyarrow Table as a pandas DataFrame when pandas is installed; anything else unchanged."""
    if type(value).__module__.startswith("pyarrow") and hasattr(value, "to_pandas"):
        try:
            return value.to_pandas()
        except ImportError:
            return value
    return value


def lookup(name: str) -> Any:
    """A notebook value; a missing one is a user error (the editor shows it as such), not a bug."""
    namespace = user_namespace()
    if name not in namespace:
        raise UnknownVariableError(f"notebook variable {name!r} is not defined (it feeds a board variable)")
    return namespace[name]


def table(rows: list[dict[str, Any]], *, as_is: bool = False) -> Any:
    """Rows as a pandas DataFrame when pandas is installed, else the list of rows itself. `as_is` keeps every cell
    the object it is (a column of mixed values, where pandas would show an unset None as NaN)."""
    try:
        import pandas
    except ImportError:
        return rows
    return pandas.DataFrame(rows, dtype=object if as_is else None)


def html_table(rows: list[dict[str, Any]], row_styles: list[str] | None = None) -> str:
    """A plain HTML table (no scripts, no classes) that survives nbviewer and GitHub."""
    if not rows:
        return "<p><i>empty</i></p>"
    columns = list(rows[0])
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = []
    for i, row in enumerate(rows):
        style = f' style="{row_styles[i]}"' if row_styles and row_styles[i] else ""
        cells = "".join(f"<td>{cell_html(row.get(c))}</td>" for c in columns)
        body.append(f"<tr{style}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def cell_html(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > 200:
        text = text[:199] + "…"
    return html.escape(text).replace("\n", "<br>")
