"""ONNX models: load and unload inference sessions (onnxruntime), read what a model takes and gives, run it.

A session stays live (run cache, recent memory: `flowlike_catalog.live`); pins carry an `OnnxSession` that
names it and lists its input and output tensors. Arrays go in and out as numpy arrays (lists work as input).
"""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.content import App, Location, given_bytes, read_bytes
from flowlike_catalog.live import LiveHandle
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

CATEGORY = "AI/ML/ONNX"
CAPABILITIES = ("native", "files")  # what its nodes reach (flowlike_core.policy)
NOT_LOCAL = ("AzureExecutionProvider",)
"""Providers that do not run the model on this machine (Azure sends requests to an endpoint)."""


class TensorInfo(BaseModel):
    name: str
    shape: list[int | str | None]
    """Fixed sizes as numbers; named or unknown (dynamic) sizes as text or null."""
    type: str


class OnnxSession(LiveHandle):
    """Names a live onnxruntime inference session."""

    KIND = "onnx-session"
    inputs: list[TensorInfo]
    outputs: list[TensorInfo]
    provider: str


class ModelMetadata(BaseModel):
    producer_name: str
    graph_name: str
    domain: str
    description: str
    version: int
    custom: dict[str, str]


class Loaded(NamedTuple):
    model: OnnxSession
    accelerated: Annotated[bool, Pin(description="Whether a provider other than the CPU runs it")]
    active_provider: str


class SessionInfo(NamedTuple):
    inputs: list[TensorInfo]
    outputs: list[TensorInfo]
    input_names: Annotated[str, Pin(description="Comma-separated")]
    output_names: Annotated[str, Pin(description="Comma-separated")]


class ModelInfo(NamedTuple):
    metadata: ModelMetadata
    inputs: list[TensorInfo]
    outputs: list[TensorInfo]


Model = Annotated[OnnxSession, Pin(description="A loaded model, from Load ONNX Model")]
Threads = Annotated[int, Pin(description="Threads one inference may use; 0: onnxruntime's choice (all cores)")]


def tensors(args: Any) -> list[TensorInfo]:
    return [TensorInfo(name=a.name, shape=list(a.shape), type=a.type) for a in args]


def open_session(data: bytes, what: str, threads: int = 0) -> Any:
    """An inference session on the best local provider; `threads` > 0 caps the threads one inference uses."""
    import onnxruntime

    if threads < 0:
        raise ValueError(f"threads must be 0 (onnxruntime's choice) or more, got {threads}")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    try:
        providers = [p for p in onnxruntime.get_available_providers() if p not in NOT_LOCAL]
        return onnxruntime.InferenceSession(data, options, providers=providers)
    except Exception as exc:  # onnxruntime raises its own untyped errors for bad models
        raise ValueError(f"{what} is not an ONNX model onnxruntime can run: {exc}") from None


def remember_session(ctx: Context | None, session: Any) -> Loaded:
    provider = session.get_providers()[0]
    handle = OnnxSession.make(ctx, session, inputs=tensors(session.get_inputs()),
                              outputs=tensors(session.get_outputs()), provider=provider)
    return Loaded(handle, provider != "CPUExecutionProvider", provider)


def session_of(ctx: Context | None, model: Any) -> Any:
    """The live onnxruntime session a handle names."""
    return OnnxSession.resolve(ctx, model)


def onnx_session(model: OnnxSession | dict[str, Any]) -> Any:
    """The onnxruntime session behind a handle, for a notebook cell (from a recent run of this kernel)."""
    return session_of(None, model)


ELEMENT_TYPES = {"tensor(float)": "float32", "tensor(double)": "float64", "tensor(float16)": "float16",
                 "tensor(int64)": "int64", "tensor(int32)": "int32", "tensor(int16)": "int16", "tensor(int8)": "int8",
                 "tensor(uint8)": "uint8", "tensor(uint16)": "uint16", "tensor(bool)": "bool",
                 "tensor(string)": "object"}
"""The numpy element type of each ONNX tensor type an input is cast to."""


def check_shape(name: str, expected: list[Any], given: tuple[int, ...]) -> None:
    """An array that does not fit the input's shape (its fixed sizes; a named or unknown size takes any) fails naming
    the input and both shapes (onnxruntime says it over three lines)."""
    fits = len(given) == len(expected) and all(not isinstance(want, int) or want < 0 or want == got
                                                for want, got in zip(expected, given, strict=True))
    if not fits:
        raise ValueError(f"input {name!r} of the model takes shape {expected}, got {list(given)}")


def run_session(session: Any, feeds: dict[str, Any]) -> dict[str, Any]:
    """Run with named input arrays (cast to the model's element types); every output by name."""
    import numpy as np

    expected = {i.name: i for i in session.get_inputs()}
    missing = set(expected) - set(feeds)
    if missing or set(feeds) - set(expected):
        raise KeyError(f"the model takes inputs {', '.join(expected)}; given {', '.join(feeds) or 'none'}")
    arrays = {}
    for name, value in feeds.items():
        tensor = expected[name]
        try:
            arrays[name] = np.asarray(value, dtype=ELEMENT_TYPES.get(tensor.type))
        except (TypeError, ValueError) as exc:  # ragged lists, text where numbers go
            raise ValueError(f"input {name!r} of the model ({tensor.type}, shape {list(tensor.shape)}) cannot take "
                             f"the value given: {exc}") from None
        check_shape(name, list(tensor.shape), arrays[name].shape)
    names = [o.name for o in session.get_outputs()]
    try:
        return dict(zip(names, session.run(names, arrays), strict=True))
    except Exception as exc:  # shape and type errors come as onnxruntime's own exceptions
        raise ValueError(f"inference failed: {exc}") from None


@node(friendly_name="Load ONNX Model", exec_pins=True)
def load_onnx(ctx: Context, path: Location = None, app: App = "default", threads: Threads = 0) -> Loaded:
    """Loads an ONNX model from a file or the content store into an inference session (the best provider
    installed: CUDA, CoreML... else the CPU)."""
    return remember_session(ctx, open_session(read_bytes(path, app, "ONNX model"), f"model {path!r}", threads))


@node(friendly_name="Load ONNX Model (Bytes)", exec_pins=True)
def load_onnx_bytes(ctx: Context, data: bytes = None, threads: Threads = 0) -> Loaded:
    """Loads an ONNX model from its bytes."""
    data = given_bytes(data, "the bytes of an ONNX model")
    return remember_session(ctx, open_session(data, "the bytes", threads))


@node(friendly_name="Unload ONNX Model", exec_pins=True)
def unload_onnx(ctx: Context, model: Model = None) -> Annotated[bool, Pin(name="success", description=(
        "False when it was not loaded (any more)"))]:
    """Frees the session's memory; the handle stops working."""
    return OnnxSession.given(model).release(ctx)


@node(friendly_name="ONNX Model Info", exec_pins=True)
def onnx_model_info(path: Location = None, app: App = "default") -> ModelInfo:
    """What a model file says about itself and the tensors it takes and gives, without keeping it loaded."""
    session = open_session(read_bytes(path, app, "ONNX model"), f"model {path!r}")
    meta = session.get_modelmeta()
    metadata = ModelMetadata(producer_name=meta.producer_name, graph_name=meta.graph_name, domain=meta.domain,
                             description=meta.description, version=meta.version,
                             custom=dict(meta.custom_metadata_map))
    return ModelInfo(metadata, tensors(session.get_inputs()), tensors(session.get_outputs()))


@node(friendly_name="ONNX Session Info")
def onnx_session_info(model: Model = None) -> SessionInfo:
    """The inputs and outputs of a loaded model."""
    handle = OnnxSession.given(model)
    return SessionInfo(handle.inputs, handle.outputs, ",".join(t.name for t in handle.inputs),
                       ",".join(t.name for t in handle.outputs))


@node(friendly_name="Run ONNX Model", exec_pins=True)
def onnx_run(ctx: Context, model: Model = None, inputs: Annotated[dict[str, Any], Pin(description=(
        "Input name -> array (numpy or nested lists), cast to the type the model takes"))] = None) -> Annotated[
        dict[str, Any], Pin(name="outputs", description="Output name -> numpy array")]:
    """Raw inference: named arrays in, named arrays out."""
    return run_session(session_of(ctx, model), dict(inputs or {}))
