"""Tables in, arrays out: how the ml nodes read feature and target columns from Arrow tables."""

from __future__ import annotations

from typing import Any


def as_table(value: Any, what: str = "source") -> Any:
    """An Arrow table from what the data pack's table nodes take (pyarrow, a pandas or polars DataFrame, row dicts,
    a dict of columns); a clear error otherwise."""
    from flowlike_catalog.data.handles import as_arrow

    return as_arrow(value, what)


def require(table: Any, name: str, what: str = "column") -> None:
    """A column the table lacks fails naming it and the columns there are."""
    if name not in table.column_names:
        raise KeyError(f"{what} {name!r} is not in the table (columns: {', '.join(table.column_names)})")


def column(table: Any, name: str, what: str = "column") -> Any:
    """One column as a numpy array."""
    require(table, name, what)
    return table.column(name).to_numpy(zero_copy_only=False)


def feature_names(table: Any, features: list[str], *exclude: str) -> list[str]:
    """The feature columns: those named, else every column but the excluded (target) ones. A named one that is
    excluded, or named twice, is refused: a model reading its own answer, or one column twice, is no model of the
    data."""
    names = list(features) if features else [c for c in table.column_names if c not in exclude]
    for i, name in enumerate(names):
        if name in exclude:
            raise ValueError(f"feature column {name!r} is the target column: a model that reads its answer learns "
                             f"nothing")
        if name in names[:i]:
            raise ValueError(f"feature column {name!r} is named twice")
    if not names:
        raise ValueError("no feature columns: name them, or give a table with columns besides the target")
    return names


def matrix(table: Any, features: list[str]) -> Any:
    """The feature columns as a float matrix (rows x features), nulls as NaN; a column that is not numeric is named.
    Arrow casts each column to float64 first: a decimal column (DuckDB's SUM, AVG) would otherwise come out as
    Python Decimal objects and make the whole matrix one of objects (25x slower at 100,000 rows x 10)."""
    import numpy as np
    import pyarrow as pa

    for name in features:
        require(table, name, "feature column")
        kind = table.schema.field(name).type
        if not (is_numeric(kind) or pa.types.is_null(kind)):
            raise TypeError(f"feature column {name!r} is {kind}, not numeric: leave it out of the feature columns or "
                            f"encode it as numbers first")
    columns = [table.column(name).cast(pa.float64()).to_numpy() for name in features]
    return np.column_stack(columns) if columns else np.empty((table.num_rows, 0))


def missing(table: Any, name: str) -> int:
    """How many values of a column are missing: null, or NaN in a float column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = table.column(name)
    nan = pc.sum(pc.is_nan(values)).as_py() if pa.types.is_floating(values.type) else 0
    return values.null_count + (nan or 0)


def check_missing(table: Any, features: list[str], estimator: Any) -> None:
    """Missing values in the feature columns fail naming each column and its count, unless the estimator takes
    them (a decision tree does); scikit-learn's own error names no column."""
    from sklearn.utils import get_tags

    if get_tags(estimator).input_tags.allow_nan:
        return
    counts = {name: count for name in features if (count := missing(table, name))}
    if counts:
        found = ", ".join(f"{name!r} has {count}" for name, count in counts.items())
        raise ValueError(f"{type(estimator).__name__} cannot take missing values (null or NaN), and feature column "
                         f"{found}: drop or fill those rows first (Filter Rows: \"{next(iter(counts))} IS NOT NULL\")")


def is_numeric(kind: Any) -> bool:
    import pyarrow as pa

    return pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind) \
        or pa.types.is_boolean(kind)


def check_complete(table: Any, name: str, what: str) -> None:
    """A column with missing values (null or NaN) fails naming it and how many."""
    count = missing(table, name)
    if count:
        raise ValueError(f"{what} {name!r} has {count} missing value{'s' if count > 1 else ''} (null or NaN): "
                         f"drop those rows first (Filter Rows: \"{name} IS NOT NULL\")")


def check_target(table: Any, name: str, estimator: Any) -> None:
    """A target column with missing values fails naming it: no estimator learns from a missing answer; nor does a
    regression from text."""
    from sklearn.base import is_regressor

    kind = table.schema.field(name).type
    if is_regressor(estimator) and not is_numeric(kind):
        raise TypeError(f"target column {name!r} is {kind}: a regression learns numbers (train a classifier for "
                        f"labels, or encode the column as numbers first)")
    check_complete(table, name, "target column")


def with_column(table: Any, name: str, values: Any) -> Any:
    """The table with a result column: a column of that name already there (an earlier Predict's) is replaced in
    place, not doubled (two columns of one name break every node that reads it)."""
    import pyarrow as pa

    values = values if isinstance(values, pa.Array | pa.ChunkedArray) else pa.array(values)
    if name in table.column_names:
        return table.set_column(table.column_names.index(name), name, values)
    return table.append_column(name, values)


def python_values(values: Any) -> list[Any]:
    """numpy scalars to plain Python (JSON-clean struct fields)."""
    return [v.item() if hasattr(v, "item") else v for v in values]
