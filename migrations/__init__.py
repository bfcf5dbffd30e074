"""Alembic migrations: every table of the project, on SQLite and PostgreSQL."""
