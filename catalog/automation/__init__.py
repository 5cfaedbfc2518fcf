"""The automation pack: a browser driven through Playwright (Debian's chromium), the desktop under X11, screen
vision, RPA steps, element fingerprints and selectors, as in Flow-Like's automation pack."""

from flowlike_catalog.automation import (
    browser,
    browser_actions,
    browser_dialogs,
    browser_extract,
    browser_files,
    browser_observe,
    browser_storage,
    computer,
    computer_accessibility,
    computer_clipboard,
    computer_input,
    computer_windows,
    fingerprint,
    fingerprint_match,
    llm_healing,
    llm_vision,
    rpa,
    rpa_screen,
    selector,
    session,
    vision,
)

from flowlike_core import Pack

PACK = Pack(
    "automation",
    modules=[session, browser, browser_actions, browser_extract, browser_storage, browser_files, browser_observe,
             browser_dialogs, selector, fingerprint, fingerprint_match, rpa, llm_vision, llm_healing, computer,
             computer_input, computer_windows, computer_clipboard, computer_accessibility, vision, rpa_screen],
    description="Browser and desktop automation, screen vision, RPA (pip install 'flowlike-nb[automation]')",
)
