"""What alembic's autogenerate must leave alone: the event store's own tables."""

from typing import Any

# Created by revision 0001 with the library's DDL; they have no SQLAlchemy model.
EVENT_STORE_TABLES = {"stored_events", "actionsociale_events", "alembic_version"}


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    return not (type_ == "table" and name in EVENT_STORE_TABLES)
