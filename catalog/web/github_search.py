"""GitHub search (issues and pull requests, repositories, code): pins become qualifiers of the query
(`repo:`, `state:`, `label:`...), added to the free text."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.web.github import PAGING, GitHub, GitHubNode, csv_list, struct_out
from flowlike_catalog.web.service_pins import int_in, text_in

from flowlike_core import DataType, data_out

CATEGORY = "Data/GitHub"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
TOTAL = data_out("total_count", DataType.INTEGER, description="Matches in all pages")


def qualified(query: str, qualifiers: list[tuple[str, str]]) -> str:
    """The free text plus `key:value` for each non-empty value (quoted when it has spaces)."""
    if not query.strip() and not any(value for _, value in qualifiers):
        raise ValueError("the search query is empty")
    terms = [query.strip()] if query.strip() else []
    for key, value in qualifiers:
        if value:
            terms.append(f'{key}:"{value}"' if " " in value else f"{key}:{value}")
    return " ".join(terms)


async def search(github: GitHub, kind: str, q: str, sort: str, order: str, per_page: int,
                 page: int) -> dict[str, Any]:
    return await github.page(f"/search/{kind}", per_page, page, q=q, order=order,
                             sort="" if sort == "best-match" else sort)  # best match: GitHub's default, no parameter


SORTING = (text_in("sort", "best-match"), text_in("order", "desc", "desc or asc"))


class SearchIssues(GitHubNode):
    name = "data_github_search_issues"
    friendly_name = "Search Issues"
    description = "Issues or pull requests matching a query (GitHub's search syntax) and the given qualifiers."
    inputs = (text_in("owner", ""), text_in("repo", ""), text_in("query", "", "Free text and qualifiers"),
              text_in("state", "", "open or closed"), text_in("type", "issue", "issue or pr"), text_in("author", ""),
              text_in("assignee", ""), text_in("labels", "", "Comma-separated: all of them"), *SORTING, *PAGING)
    outputs = (struct_out("issues", array=True), TOTAL)

    async def call(self, github: GitHub, *, owner: str, repo: str, query: str, state: str, type: str, author: str,
                   assignee: str, labels: str, sort: str, order: str, per_page: int, page: int) -> dict[str, Any]:
        where = [("repo", f"{owner}/{repo}")] if owner and repo else [("user", owner)] if owner else []
        q = qualified(query, [*where, ("is", type), ("state", state), ("author", author), ("assignee", assignee),
                              *(("label", label) for label in csv_list(labels))])
        found = await search(github, "issues", q, sort, order, per_page, page)
        return {"issues": found["items"], "total_count": found["total_count"]}


class SearchRepos(GitHubNode):
    name = "data_github_search_repos"
    friendly_name = "Search Repositories"
    description = "Repositories matching a query and the given qualifiers."
    inputs = (text_in("query"), text_in("language", ""), text_in("user", ""), text_in("topic", ""), *SORTING,
              *PAGING)
    outputs = (struct_out("repos", array=True), TOTAL)

    async def call(self, github: GitHub, *, query: str, language: str, user: str, topic: str, sort: str, order: str,
                   per_page: int, page: int) -> dict[str, Any]:
        q = qualified(query, [("language", language), ("user", user), ("topic", topic)])
        found = await search(github, "repositories", q, sort, order, per_page, page)
        return {"repos": found["items"], "total_count": found["total_count"]}


class SearchCode(GitHubNode):
    name = "data_github_search_code"
    friendly_name = "Search Code"
    description = "Files whose content matches a query (GitHub indexes default branches only)."
    inputs = (text_in("query"), text_in("repo", "", "owner/name"), text_in("language", ""), text_in("path", ""),
              text_in("extension", ""), int_in("per_page", 30), int_in("page", 1))
    outputs = (struct_out("results", array=True), TOTAL)

    async def call(self, github: GitHub, *, query: str, repo: str, language: str, path: str, extension: str,
                   per_page: int, page: int) -> dict[str, Any]:
        q = qualified(query, [("repo", repo), ("language", language), ("path", path), ("extension", extension)])
        found = await search(github, "code", q, "", "desc", per_page, page)
        return {"results": found["items"], "total_count": found["total_count"]}
