"""Tables in, arrays out: how the ml nodes read feature and target columns from Arrow tables."""

from __future__ import annotations

from typing import Any


def as_table(value: Any, what: str = "source") -> Any:
    """An Arrow table from a table, a pandas DataFrame or a list of row dicts; a clear error otherwise."""
    import pyarrow as pa

    if isinstance(value, pa.Table):
        return value
    if isinstance(value, list) and all(isinstance(row, dict) for row in value):
        return pa.Table.from_pylist(value)
    if type(value).__name__ == "DataFrame":
        return pa.Table.from_pandas(value, preserve_index=False)
    raise TypeError(f"{what} must be an Arrow table (or a DataFrame, or a list of row dicts), "
                    f"got {type(value).__name__}")


def column(table: Any, name: str, what: str = "column") -> Any:
    """One column as a numpy array."""
    if name not in table.column_names:
        raise KeyError(f"{what} {name!r} is not in the table (columns: {', '.join(table.column_names)})")
    return table.column(name).to_numpy(zero_copy_only=False)


def feature_names(table: Any, features: list[str], *exclude: str) -> list[str]:
    """The feature columns: those named, else every column but the excluded (target) ones."""
    names = list(features) if features else [c for c in table.column_names if c not in exclude]
    if not names:
        raise ValueError("no feature columns: name them, or give a table with columns besides the target")
    return names


def matrix(table: Any, features: list[str]) -> Any:
    """The feature columns as a float matrix (rows x features)."""
    import numpy as np

    columns = [column(table, name, "feature column") for name in features]
    try:
        return np.column_stack(columns).astype(np.float64) if columns else np.empty((table.num_rows, 0))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"feature columns must be numeric ({', '.join(features)}): {exc}") from None


def python_values(values: Any) -> list[Any]:
    """numpy scalars to plain Python (JSON-clean struct fields)."""
    return [v.item() if hasattr(v, "item") else v for v in values]
