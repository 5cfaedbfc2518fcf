"""LinkedIn's REST API: the member's OpenID profile and sharing posts (text, or a link to an article) through
the UGC Posts API, as Flow-Like does.

The provider takes an OAuth 2.0 access token made elsewhere (scopes openid, profile, email, w_member_social):
LinkedIn's consent flow runs in a browser, which a board does not do. Given the refresh token (apps LinkedIn lets
refresh) and the app's client id and secret too, a token LinkedIn refuses is renewed and the call sent again (the
web pack's HTTP layer). A 4xx/5xx answer fires the Error
output with LinkedIn's message.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, ClassVar

from flowlike_catalog.data.google import struct_out
from flowlike_catalog.web.errors import routed
from flowlike_catalog.web.http import (
    HttpBody,
    HttpRequest,
    HttpResponse,
    ServiceFailure,
    TokenRefresh,
    as_provider,
    bearer,
    fetch,
    http_base_url,
    token_refresh,
)
from flowlike_catalog.web.service_pins import text_in, text_out
from pydantic import BaseModel, ConfigDict, SecretStr

from flowlike_core import Context, DataType, NodeType, Pin, PinSpec, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Data/LinkedIn"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
VISIBILITIES = ("PUBLIC", "CONNECTIONS")
TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"


class LinkedInProvider(BaseModel):
    """Flow-Like's LinkedIn provider, plus where to send the calls; the token never shows in dumps or logs."""

    model_config = ConfigDict(frozen=True)
    provider_id: str = "linkedin"
    access_token: SecretStr
    base_url: str = "https://api.linkedin.com"
    refresh: TokenRefresh | None = None


PROVIDER_SCHEMA = LinkedInProvider.model_json_schema()


class LinkedInError(RuntimeError):
    pass


@node(friendly_name="LinkedIn (OAuth)")
def data_linkedin_provider_oauth(
    access_token: Annotated[str, Pin(sensitive=True, required=True, description="A member's OAuth 2.0 access "
                                     "token from your own OAuth flow; feed it from a secret variable")] = "",
    base_url: str = "https://api.linkedin.com",
    refresh_token: Annotated[str, Pin(sensitive=True, description="Optional: the refresh token that came with the "
                                      "access token; with client_id and client_secret, a refused access token is "
                                      "renewed")] = "",
    client_id: Annotated[str, Pin(description="Your LinkedIn app's client id (for renewing)")] = "",
    client_secret: Annotated[str, Pin(sensitive=True, description="The app's client secret (for renewing)")] = "",
    token_url: Annotated[str, Pin(description="Where tokens are renewed")] = TOKEN_URL,
) -> Annotated[LinkedInProvider, Pin(name="provider")]:
    """LinkedIn access as a member, with an access token you obtained (the browser consent flow is not part of
    a board). With the refresh token and the app's client id and secret, an expired access token is renewed."""
    if not access_token:
        raise ValueError("LinkedIn access token is empty (is the secret variable set?)")
    return LinkedInProvider(access_token=SecretStr(access_token), base_url=http_base_url(base_url),
                            refresh=token_refresh(refresh_token, client_id, client_secret, token_url))


async def call(ctx: Context, given: Any, method: str, path: str, body: dict[str, Any] | None = None) -> HttpResponse:
    """LinkedIn's answer to a v2 call; a 4xx/5xx answer raises LinkedInError with LinkedIn's message."""
    given = as_provider(given, LinkedInProvider, "a LinkedIn provider (from LinkedIn (OAuth))")
    response = await fetch(ctx, HttpRequest(
        url=f"{given.base_url}/v2{path}", method=method,
        headers={"X-Restli-Protocol-Version": "2.0.0", "Accept": "application/json"},
        secret_headers={"Authorization": bearer(given.access_token)},
        body=HttpBody(kind="json", value=body) if body is not None else None), refresh=given.refresh)
    if response.status_code >= 400:
        try:
            found = json.loads(response.body)
            message = found.get("message") or found.get("error_description") or found.get("error") or found
        except (ValueError, AttributeError):
            message = response.body[:200].decode("utf-8", "replace")
        raise LinkedInError(f"LinkedIn answered {response.status_code} to {method} {path}: {message}")
    return response


class LinkedInNode(NodeType):
    """A LinkedIn call: provider and the node's inputs in; `success` with the outputs `call` returns, or
    `failure` with the message."""

    inputs: ClassVar[tuple[PinSpec, ...]] = ()
    outputs: ClassVar[tuple[PinSpec, ...]] = ()
    success: ClassVar[str] = "exec_success"
    failure: ClassVar[str] = "exec_error"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        cls.pins = (exec_in(), data_in("provider", DataType.STRUCT, schema=PROVIDER_SCHEMA, required=True,
                                       description="From LinkedIn (OAuth)"), *cls.inputs,
                    exec_out(cls.success, "Success"), exec_out(cls.failure, "Error", "LinkedIn answered with an "
                                                               "error, could not be reached, or an input was wrong"),
                    *cls.outputs, data_out("error_message", DataType.STRING, description="What went wrong"))
        super().__init_subclass__(**kwargs)

    async def call(self, ctx: Context, provider: Any, **inputs: Any) -> dict[str, Any]:
        raise NotImplementedError

    async def run(self, ctx: Context) -> None:
        inputs = {spec.name: ctx.get_input(spec.name) for spec in self.inputs}
        try:
            outputs = await self.call(ctx, ctx.get_input("provider"), **inputs)
        except (LinkedInError, ServiceFailure, OSError, ValueError) as exc:  # OSError: connection errors
            routed(ctx, self.failure, exc, "error_message")
            return
        for name, value in outputs.items():
            ctx.set_output(name, value)
        ctx.activate(self.success)


class GetMe(LinkedInNode):
    name = "data_linkedin_get_me"
    friendly_name = "Get Me"
    description = "The member's OpenID Connect profile (needs the openid, profile and email scopes)."
    success, failure = "exec_out", "error"
    outputs = (struct_out("me", description="LinkedInMe: sub, name, given_name, family_name, picture, email, "
                          "email_verified, locale"), text_out("sub", "The member id (author_id of a share)"),
               text_out("email"), text_out("name"))

    async def call(self, ctx: Context, provider: Any) -> dict[str, Any]:
        found = json.loads((await call(ctx, provider, "GET", "/userinfo")).body)
        locale = found.get("locale")
        me = {key: found.get(key) for key in ("sub", "name", "given_name", "family_name", "picture", "email",
                                              "email_verified")}
        me["locale"] = "_".join(filter(None, (locale.get("language"), locale.get("country")))) \
            if isinstance(locale, dict) else locale
        return {"me": me, "sub": me["sub"] or "", "email": me["email"] or "", "name": me["name"] or ""}


async def share(ctx: Context, provider: Any, author_id: str, text: str, visibility: str,
                media: list[dict[str, Any]]) -> dict[str, Any]:
    """Posts a share as the member; its id (urn:li:share:...) from the body or the X-RestLi-Id header."""
    if not author_id or not text:
        raise ValueError("author_id and text are required")
    if visibility not in VISIBILITIES:
        raise ValueError(f"visibility must be PUBLIC or CONNECTIONS, got {visibility!r}")
    content = {"shareCommentary": {"text": text}, "shareMediaCategory": "ARTICLE" if media else "NONE"}
    if media:
        content["media"] = media
    response = await call(ctx, provider, "POST", "/ugcPosts", {
        "author": author_id if author_id.startswith("urn:li:") else f"urn:li:person:{author_id}",
        "lifecycleState": "PUBLISHED", "specificContent": {"com.linkedin.ugc.ShareContent": content},
        "visibility": {"com.linkedin.ugc.MemberNetworkVisibility": visibility}})
    found = json.loads(response.body) if response.body.strip() else {}
    return {"post_id": found.get("id") or response.headers.get("x-restli-id", "")}


SHARE = (text_in("author_id", description="The member id (sub from Get Me) or a urn:li:person: URN"),
         text_in("text", description="The post's commentary"))
VISIBILITY = text_in("visibility", "PUBLIC", "PUBLIC or CONNECTIONS")
POST_ID = text_out("post_id", "The share's URN (urn:li:share:...)")


class ShareText(LinkedInNode):
    name = "data_linkedin_share_text"
    friendly_name = "Share Text Post"
    description = "Posts text to the member's feed."
    inputs = (*SHARE, VISIBILITY)
    outputs = (POST_ID,)

    async def call(self, ctx: Context, provider: Any, *, author_id: str, text: str,
                   visibility: str) -> dict[str, Any]:
        return await share(ctx, provider, author_id, text, visibility, [])


class ShareArticle(LinkedInNode):
    name = "data_linkedin_share_article"
    friendly_name = "Share Article"
    description = "Posts a link to an article, with commentary and an optional title and description."
    inputs = (*SHARE, text_in("url", description="The article's URL"), text_in("title", ""),
              text_in("description", ""), VISIBILITY)
    outputs = (POST_ID,)

    async def call(self, ctx: Context, provider: Any, *, author_id: str, text: str, url: str, title: str,
                   description: str, visibility: str) -> dict[str, Any]:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"url must be an http(s) URL, got {url!r}")
        media: dict[str, Any] = {"status": "READY", "originalUrl": url}
        media |= {key: {"text": value} for key, value in (("title", title), ("description", description)) if value}
        return await share(ctx, provider, author_id, text, visibility, [media])
