"""The automation pack: a browser driven through Playwright (Debian's chromium), the desktop under X11, screen
vision, RPA steps, element fingerprints and selectors, as in Flow-Like's automation pack."""

from flowlike_catalog.automation import fingerprint, selector

from flowlike_core import Pack

PACK = Pack(
    "automation",
    modules=[selector, fingerprint],
    description="Browser and desktop automation, screen vision, RPA (pip install 'flowlike-nb[automation]')",
)
