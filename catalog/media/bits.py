"""Bits: Flow-Like's descriptions of models and files (an id, a type, metadata), and branching on their type.

A Bit arrives as a struct (for instance parsed from the JSON a Flow-Like hub serves); these nodes read its
type. Fetching Bits from a hub by id is not here: nothing in this project talks to a Flow-Like hub.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from flowlike_core import Context, DataType, NodeType, PinOptions, data_in, data_out, exec_in, exec_out

CATEGORY = "Bit"
BIT_TYPES = ("Llm", "Vlm", "Embedding", "ImageEmbedding", "File", "Media", "Template", "Tokenizer", "TokenizerConfig",
             "SpecialTokensMap", "Config", "Course", "PreprocessorConfig", "Projection", "Project", "Board",
             "ObjectDetection", "Other")


class Bit(BaseModel):
    """The fields of a Flow-Like Bit these nodes need; the others are kept as they come."""

    model_config = ConfigDict(extra="allow")
    id: str
    type: str


def snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def type_of(bit: Any) -> str:
    if bit is None:
        raise TypeError("no Bit given: wire a Bit struct")
    if not isinstance(bit, dict | Bit):
        raise TypeError(f"the Bit must be a struct with an id and a type, got {type(bit).__name__}")
    if isinstance(bit, dict) and (lacking := [field for field in ("id", "type") if field not in bit]):
        raise ValueError(f"the Bit has no {', '.join(lacking)} (a Bit struct has both)")
    kind = Bit.model_validate(bit).type
    if kind not in BIT_TYPES:
        raise ValueError(f"unknown Bit type {kind!r}: Flow-Like's are {', '.join(BIT_TYPES)}")
    return kind


BIT_SCHEMA = Bit.model_json_schema()
BIT_IN = data_in("bit", DataType.STRUCT, schema=BIT_SCHEMA, required=True)
BIT_OUT = data_out("bit_out", DataType.STRUCT, schema=BIT_SCHEMA, friendly_name="Bit")
"""The Bit both nodes pass on, for the nodes after the branch."""


class IsBitOfType(NodeType):
    name = "is_bit_of_type"
    friendly_name = "Is Bit of Type"
    description = "Follows Yes when the Bit has the type, No otherwise."
    pins = (
        exec_in(),
        BIT_IN,
        data_in("bit_type", DataType.STRING, default="Llm", options=PinOptions(valid_values=list(BIT_TYPES))),
        BIT_OUT,
        exec_out("yes", "Yes"),
        exec_out("no", "No"),
    )

    def run(self, ctx: Context, *, bit: Any, bit_type: str) -> None:
        if bit_type not in BIT_TYPES:
            raise ValueError(f"unknown Bit type {bit_type!r}: Flow-Like's are {', '.join(BIT_TYPES)}")
        kind = type_of(bit)
        ctx.set_output("bit_out", bit)
        ctx.activate("yes" if kind == bit_type else "no")


class SwitchOnBit(NodeType):
    name = "switch_on_bit"
    friendly_name = "Switch on Bit"
    description = "Follows the exec output named after the Bit's type."
    pins = (
        exec_in(),
        BIT_IN,
        *(exec_out(snake(kind), kind) for kind in BIT_TYPES),
        BIT_OUT,
    )

    def run(self, ctx: Context, *, bit: Any) -> None:
        kind = type_of(bit)
        ctx.set_output("bit_out", bit)
        ctx.activate(snake(kind))
