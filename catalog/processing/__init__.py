"""The processing pack: documents to pages and Markdown, keywords, summaries, PII masking."""

from flowlike_core import Pack

PACK = Pack("processing", modules=[], description="Document extraction, keywords, summaries and PII masking")
