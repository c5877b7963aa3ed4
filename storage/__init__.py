"""Persistence: database engine, tables, queries, migrations."""
