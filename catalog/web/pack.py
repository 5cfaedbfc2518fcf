"""The web pack's `PACK`, made when first asked for (see the package)."""

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
    telegram_commerce,
    telegram_interaction,
    telegram_media,
    telegram_stickers,
    udp,
    websocket,
)

from flowlike_core import Pack

PACK = Pack(
    "web",
    modules=[requests, responses, api, websocket, tcp, udp, mqtt, smtp, imap, imap_calendar, mail_access,
             scraping, github, github_history, github_search,
             github_actions, telegram,
             telegram_media, telegram_chat, telegram_interaction, telegram_bot,
             telegram_stickers, telegram_commerce, discord,
             discord_interaction],
    description="HTTP, sockets and messaging, email, scraping, GitHub, Telegram and Discord "
                "(pip install 'flowlike-nb[web]')",
)
