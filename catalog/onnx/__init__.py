"""The onnx pack: onnxruntime sessions, raw and batch inference, and vision, face, OCR, NLP and audio models
with their pre- and post-processing. `onnx_session(handle)` gives a notebook cell the session."""

from flowlike_catalog.onnx import audio, batch, depth, face, nlp, ocr, session, teachable, vision
from flowlike_catalog.onnx.session import OnnxSession, onnx_session

from flowlike_core import Pack

PACK = Pack(
    "onnx",
    modules=[session, vision, depth, batch, face, ocr, nlp, audio, teachable],
    description="ONNX inference with onnxruntime (pip install 'flowlike-nb[onnx]')",
)

__all__ = ["PACK", "OnnxSession", "onnx_session"]
