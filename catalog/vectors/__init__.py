"""The vectors pack: LanceDB tables in each app's vector database (see `nodes`)."""

from flowlike_catalog.vectors import nodes

from flowlike_core import Pack

PACK = Pack("vectors", modules=[nodes], description="LanceDB vector tables: insert, upsert, search, filter, index")
