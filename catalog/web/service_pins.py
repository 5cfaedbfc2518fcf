"""The plain input and output pins of hosted-service nodes (GitHub, Google, Microsoft Graph, Atlassian, Databricks),
one way everywhere: a text input without a default is required, so is a number input without one."""

from __future__ import annotations

from flowlike_core import DataType, PinSpec, data_in, data_out


def text_in(name: str, default: str | None = None, description: str = "") -> PinSpec:
    return data_in(name, DataType.STRING, default=default or "", required=default is None, description=description)


def int_in(name: str, default: int | None = None, description: str = "") -> PinSpec:
    return data_in(name, DataType.INTEGER, default=default, required=default is None, description=description)


def bool_in(name: str, default: bool, description: str = "") -> PinSpec:
    return data_in(name, DataType.BOOLEAN, default=default, description=description)


def int_out(name: str, description: str = "") -> PinSpec:
    return data_out(name, DataType.INTEGER, description=description)


def text_out(name: str, description: str = "") -> PinSpec:
    return data_out(name, DataType.STRING, description=description)
