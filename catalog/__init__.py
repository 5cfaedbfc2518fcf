"""flowlike_catalog: the node packs, one subpackage per domain. Each exposes a `PACK`."""
