"""The processing pack: documents to pages and Markdown, keywords, summaries, PII masking."""

from flowlike_catalog.processing import documents, keywords, privacy, understanding

from flowlike_core import Pack

PACK = Pack("processing", modules=[documents, understanding, keywords, privacy],
            description="Document extraction (PDF, DOCX, HTML, Markdown), keywords, summaries and PII masking")
