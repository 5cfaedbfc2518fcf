"""The executing user: the local account, owner of its boards."""

from __future__ import annotations

import getpass

from flowlike_catalog.std.users import (
    PERMISSIONS,
    has_permission,
    utils_user_get_executing_user,
    utils_user_has_attribute,
    utils_user_is_technical_user,
)


def test_the_executing_user_is_the_local_account_with_the_owner_role(b):
    user, has_user = utils_user_get_executing_user.func()
    assert has_user is True
    assert user["sub"] == getpass.getuser()
    assert b.compute("utils_user_get_executing_user", "user_context") == user == {
        "sub": getpass.getuser(), "is_technical_user": False, "key_id": None,
        "role": {"id": "local-owner", "name": "Owner", "permissions": 1, "attributes": [], "custom_attributes": {}}}


def test_permissions_follow_flow_likes_bits_owner_and_admin_hold_all():
    reader = {"sub": "r", "role": {"id": "r", "name": "Reader", "permissions": 1 << 8 | 1 << 4}}
    assert PERMISSIONS[8] == "Read Boards" and PERMISSIONS[4] == "Read Files"
    assert has_permission(reader, "Read Boards") and has_permission(reader, "Read Files")
    assert not has_permission(reader, "Write Boards")
    admin = {"sub": "a", "role": {"id": "a", "name": "Admin", "permissions": 0b10}}
    assert all(has_permission(admin, name) for name in PERMISSIONS)
    assert not has_permission({"sub": "n", "role": None}, "Read Boards")


def test_the_local_owner_on_a_board(b):
    assert b.compute("utils_user_has_permission", "has_permission", permission="Write Routes") is True
    check = b.add("utils_user_has_permission")
    node = b.board.nodes[check.id]
    node.pin("permission").default_value = "Fly"  # an old board may hold a name that is no permission
    start, back = b.start(), b.add("events_generic_return_result")
    b.chain(start, back)
    b.wire(check, "has_permission", back, "response")
    run = b.run()
    assert run.result is False
    assert [line.message for line in run.logs()][0].startswith("unknown permission 'Fly'; known: Owner, Admin")
    assert utils_user_has_attribute.func("beta") is False
    assert utils_user_is_technical_user.func() == (False, "")
