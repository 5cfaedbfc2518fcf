"""The web pack: HTTP requests through one shared httpx client per run, sockets and messaging (WebSocket,
TCP, UDP, MQTT), email (SMTP, IMAP), scraping, GitHub's REST API as the pattern for hosted services, and
Telegram and Discord bots."""

from flowlike_catalog import lazy_pack

__getattr__ = lazy_pack(__name__)
