"""The web pack: HTTP requests through one shared httpx client per run, sockets and messaging (WebSocket,
TCP, UDP, MQTT), email (SMTP, IMAP), scraping, and GitHub's REST API as the pattern for hosted services."""

from flowlike_catalog.web import (
    api,
    discord,
    discord_interaction,
    github,
    github_actions,
    github_history,
    github_search,
    imap,
    imap_calendar,
    mail_access,
    mqtt,
    requests,
    responses,
    scraping,
    smtp,
    tcp,
    telegram,
    telegram_bot,
    telegram_chat,
    telegram_interaction,
    telegram_media,
    udp,
    websocket,
)

from flowlike_core import Pack

PACK = Pack(
    "web",
    modules=[requests, responses, api, websocket, tcp, udp, mqtt, smtp, imap, imap_calendar, mail_access,
             scraping, github, github_history, github_search,
             github_actions, telegram,
             telegram_media, telegram_chat, telegram_interaction, telegram_bot, discord,
             discord_interaction],
    description="HTTP, sockets and messaging, email, scraping and GitHub (pip install 'flowlike-nb[web]')",
)
