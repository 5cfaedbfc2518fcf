"""Who runs the board. Runs here start from a notebook or the editor of a single-user Jupyter server, without a
login: the executing user is the local account the kernel runs as, and it owns its boards (Flow-Like's Owner
role, which holds every permission). It has no role attributes and is no technical (API key) user.
"""

from __future__ import annotations

import getpass
from typing import Annotated, Any, NamedTuple

from flowlike_core import Context, Pin, node

CATEGORY = "Utils/User"
CACHEABLE = False  # who runs the board is no input: another account may share a stored cache

PERMISSIONS = (
    "Owner", "Admin", "Read Team", "Read Roles", "Read Files", "Write Files", "Invoke API", "Write Meta",
    "Read Boards", "Execute Boards", "Write Boards", "List Events", "Read Events", "Execute Events", "Write Events",
    "Read Logs", "Read Analytics", "Read Config", "Write Config", "Read Templates", "Write Templates",
    "Read Courses", "Write Courses", "Read Widgets", "Write Widgets", "Write Routes",
)
"""Flow-Like's permission names; bit i of a role's permissions is PERMISSIONS[i]."""
OWNER, ADMIN = 0b01, 0b10


ROLE_SCHEMA = {
    "type": "object",
    "required": ["id", "name", "permissions", "attributes", "custom_attributes"],
    "properties": {
        "id": {"type": "string"}, "name": {"type": "string"},
        "permissions": {"type": "integer", "description": "Bit i grants PERMISSIONS[i]; Owner and Admin grant all"},
        "attributes": {"type": "array", "items": {"type": "string"}},
        "custom_attributes": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
USER_SCHEMA = {
    "title": "UserExecutionContext",
    "type": "object",
    "required": ["sub", "role", "is_technical_user", "key_id"],
    "properties": {
        "sub": {"type": "string", "description": "The user's id (the local account name here)"},
        "role": {"anyOf": [ROLE_SCHEMA, {"type": "null"}]},
        "is_technical_user": {"type": "boolean"},
        "key_id": {"type": ["string", "null"]},
    },
}
"""Flow-Like's UserExecutionContext, as JSON Schema (a plain schema keeps importing the pack fast)."""


class ExecutingUser(NamedTuple):
    user_context: Annotated[dict, Pin("User", schema=USER_SCHEMA)]
    has_user: bool


class TechnicalUser(NamedTuple):
    is_technical: bool
    key_id: Annotated[str, Pin(description="The API key's id for a technical user, else empty")]


def local_user() -> dict[str, Any]:
    """The account the kernel runs as, owner of its boards (a UserExecutionContext)."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError):  # no login name and no password entry (some containers)
        name = "local"
    role = {"id": "local-owner", "name": "Owner", "permissions": OWNER, "attributes": [], "custom_attributes": {}}
    return {"sub": name, "role": role, "is_technical_user": False, "key_id": None}


def has_permission(user: dict[str, Any], permission: str) -> bool:
    bits = user["role"]["permissions"] if user.get("role") else 0
    return bool(bits & (OWNER | ADMIN) or bits & (1 << PERMISSIONS.index(permission)))


@node(friendly_name="Get Executing User")
def utils_user_get_executing_user() -> ExecutingUser:
    """The user running the board: here the local account the kernel runs as, with the Owner role."""
    return ExecutingUser(local_user(), True)


@node(friendly_name="Has Permission")
def utils_user_has_permission(ctx: Context, permission: Annotated[str, Pin(valid_values=PERMISSIONS)] =
                              "Read Boards") -> Annotated[bool, Pin(name="has_permission")]:
    """Whether the executing user holds the permission (Owner and Admin hold all); false, with a warning, for a
    name that is no permission."""
    if permission not in PERMISSIONS:
        ctx.warn(f"unknown permission {permission!r}; known: {', '.join(PERMISSIONS)}")
        return False
    return has_permission(local_user(), permission)


@node(friendly_name="Has Attribute")
def utils_user_has_attribute(attribute: str = "") -> Annotated[bool, Pin(name="has_attribute")]:
    """Whether the executing user's role carries the attribute (the local owner's role carries none)."""
    role = local_user()["role"]
    return role is not None and attribute in role["attributes"]


@node(friendly_name="Is Technical User")
def utils_user_is_technical_user() -> TechnicalUser:
    """Whether the run was started with an API key rather than by a person (never, here)."""
    user = local_user()
    return TechnicalUser(user["is_technical_user"], user["key_id"] or "")
