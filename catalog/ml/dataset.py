"""Datasets: split, stratified split, k-fold, shuffle and sample the rows of an Arrow table.

Flow-Like's dataset nodes write rows into destination databases given as inputs (`train`, `test`, `target`).
Here tables are values: those inputs are optional tables the chosen rows are appended to (empty: a new table),
and the results come out of `*_out` pins. A `seed` makes every draw repeatable.
"""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.ml.model import Source
from flowlike_catalog.ml.tables import as_table, require
from pydantic import BaseModel

from flowlike_core import Context, DataType, NodeType, Pin, data_in, data_out, exec_in, exec_out, node

CATEGORY = "AI/ML/Dataset"

Base = Annotated[Any, Pin(description="Optional table the rows are appended to (same columns); empty: a new table")]
Seed = Annotated[int, Pin(description="Seed of the random draw: the same seed gives the same rows")]
Split = Annotated[float, Pin(description="Fraction of the rows that go to train", range=(0.0, 1.0))]
TableOut = Annotated[Any, Pin(description="An Arrow table")]


class TrainTest(NamedTuple):
    train_out: Annotated[Any, Pin("Train", description="The train rows (after the train input's rows)")]
    test_out: Annotated[Any, Pin("Test", description="The test rows (after the test input's rows)")]


class Sampled(NamedTuple):
    target_out: Annotated[Any, Pin("Sample", description="The sampled rows (after the target input's rows)")]
    sampled_count: int


class KFoldInfo(BaseModel):
    k: int
    fold_index: int
    train_count: int
    test_count: int


def _rng(seed: int) -> Any:
    import numpy as np

    return np.random.default_rng(seed)


def _append(base: Any, rows: Any, what: str) -> Any:
    """`rows` after the rows of `base` (if one is given)."""
    import pyarrow as pa

    if base is None:
        return rows
    base = as_table(base, what)
    if base.num_rows == 0 and base.num_columns == 0:
        return rows
    try:
        return pa.concat_tables([base, rows.select(base.column_names).cast(base.schema)])
    except (KeyError, pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ValueError(f"the {what} table does not fit the source's columns: {exc}") from None


def _check_split(split: float) -> None:
    if not 0.0 <= split <= 1.0:
        raise ValueError(f"split must be a fraction between 0 and 1, got {split}")


def split_indices(n: int, split: float, shuffle: bool, seed: int) -> tuple[Any, Any]:
    """Row indices of train (round(n * split) rows) and test, drawn at random unless `shuffle` is off."""
    import numpy as np

    _check_split(split)
    order = _rng(seed).permutation(n) if shuffle else np.arange(n)
    cut = round(n * split)
    return np.sort(order[:cut]), np.sort(order[cut:])


@node(friendly_name="Split Dataset", exec_pins=True)
def ai_ml_dataset_split(split: Split = 0.8, source: Source = None, train: Base = None, test: Base = None,
                        shuffle: bool = True, seed: Seed = 42) -> TrainTest:
    """Splits the rows into train and test at random (round(rows x split) to train), keeping row order."""
    table = as_table(source)
    train_rows, test_rows = split_indices(table.num_rows, split, shuffle, seed)
    return TrainTest(_append(train, table.take(train_rows), "train"), _append(test, table.take(test_rows), "test"))


def label_groups(table: Any, name: str) -> Any:
    """Each row's label as a group number (0, 1, ... in order of first appearance); a missing label (null, or NaN:
    which equals nothing, itself included) is one group too, so no row is lost."""
    import pyarrow as pa
    import pyarrow.compute as pc

    require(table, name, "label column")
    labels = table.column(name).combine_chunks()
    if pa.types.is_floating(labels.type):
        labels = pc.if_else(pc.is_nan(labels), pa.scalar(None, labels.type), labels)
    return labels.dictionary_encode(null_encoding="encode").indices.to_numpy(zero_copy_only=False)


@node(friendly_name="Stratified Split", exec_pins=True)
def ai_ml_dataset_stratified_split(split: Split = 0.8, label_column: str = "label", source: Source = None,
                                   train: Base = None, test: Base = None, seed: Seed = 42) -> TrainTest:
    """Splits the rows so that each label keeps its share: round(count x split) rows of every label go to train.
    Rows without a label (null or NaN) are one group of their own."""
    import numpy as np

    table = as_table(source)
    groups = label_groups(table, label_column)
    train_parts, test_parts = [], []
    for i in range(groups.max() + 1 if len(groups) else 0):
        rows = np.flatnonzero(groups == i)
        picked, rest = split_indices(len(rows), split, True, seed + i)
        train_parts.append(rows[picked])
        test_parts.append(rows[rest])
    empty = np.empty(0, dtype=np.int64)
    train_rows = np.sort(np.concatenate(train_parts or [empty]))
    test_rows = np.sort(np.concatenate(test_parts or [empty]))
    return TrainTest(_append(train, table.take(train_rows), "train"), _append(test, table.take(test_rows), "test"))


@node(friendly_name="Shuffle Dataset", exec_pins=True)
def ai_ml_dataset_shuffle(source: Source = None, target: Base = None, seed: Seed = 42) -> Annotated[
        Any, Pin("Shuffled", name="target_out")]:
    """All rows in a random order."""
    table = as_table(source)
    return _append(target, table.take(_rng(seed).permutation(table.num_rows)), "target")


@node(friendly_name="Sample Dataset", exec_pins=True)
def ai_ml_dataset_sample(sample_count: Annotated[int, Pin(description="Rows to draw; 0: use the ratio")] = 0,
                         sample_ratio: Annotated[float, Pin(range=(0.0, 1.0))] = 0.1, source: Source = None,
                         target: Base = None, seed: Seed = 42) -> Sampled:
    """Draws rows at random without replacement (sample_count rows, or round(rows x ratio)), in table order."""
    import numpy as np

    table = as_table(source)
    if sample_count < 0:
        raise ValueError(f"sample_count must not be negative, got {sample_count}")
    _check_split(sample_ratio)
    count = min(sample_count, table.num_rows) if sample_count else round(table.num_rows * sample_ratio)
    rows = np.sort(_rng(seed).choice(table.num_rows, size=count, replace=False))
    return Sampled(_append(target, table.take(rows), "target"), count)


def fold_indices(n: int, k: int, shuffle: bool, seed: int) -> list[tuple[Any, Any]]:
    """(train rows, test rows) of each of k folds, as scikit-learn's KFold draws them."""
    from sklearn.model_selection import KFold

    if not 2 <= k <= n:
        raise ValueError(f"k-fold needs 2 <= k <= rows, got k={k} for {n} rows")
    folds = KFold(n_splits=k, shuffle=shuffle, random_state=seed if shuffle else None)
    return list(folds.split(range(n)))


class KFoldSplit(NodeType):
    name = "ai_ml_dataset_kfold"
    friendly_name = "K-Fold Split"
    description = ("Runs Fold once per fold with that fold's train and test tables (each input table's rows "
                   "first), then Done. Folds are scikit-learn's KFold.")
    pins = (
        exec_in(),
        data_in("k", DataType.INTEGER, default=5, description="Number of folds"),
        data_in("shuffle", DataType.BOOLEAN, default=True),
        data_in("source", DataType.GENERIC, required=True, description="The data: an Arrow table"),
        data_in("train_db", DataType.GENERIC, description="Optional table put before every fold's train rows"),
        data_in("test_db", DataType.GENERIC, description="Optional table put before every fold's test rows"),
        data_in("seed", DataType.INTEGER, default=42, description="Seed of the shuffle"),
        exec_out("exec_fold", "Fold"),
        exec_out("exec_done", "Done"),
        data_out("fold_index", DataType.INTEGER),
        data_out("info", DataType.STRUCT, schema=KFoldInfo.model_json_schema()),
        data_out("train_out", DataType.GENERIC, friendly_name="Train"),
        data_out("test_out", DataType.GENERIC, friendly_name="Test"),
    )

    async def run(self, ctx: Context, *, k: int, shuffle: bool, source: Any, train_db: Any, test_db: Any,
                  seed: int) -> None:
        table = as_table(source)
        folds = fold_indices(table.num_rows, k, shuffle, seed)
        for index, (train_rows, test_rows) in enumerate(folds):
            ctx.check_cancelled()
            ctx.set_output("fold_index", index)
            ctx.set_output("info", KFoldInfo(k=k, fold_index=index, train_count=len(train_rows),
                                             test_count=len(test_rows)))
            ctx.set_output("train_out", _append(train_db, table.take(sorted(train_rows)), "train_db"))
            ctx.set_output("test_out", _append(test_db, table.take(sorted(test_rows)), "test_db"))
            ctx.progress(index + 1, len(folds), f"fold {index + 1} of {len(folds)}")
            await ctx.fire("exec_fold")
        ctx.activate("exec_done")
