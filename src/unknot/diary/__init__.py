"""The diary: episodes, check-ins, checkpoints, patterns, charts, reports.

Storage is SQLAlchemy 2 + Alembic (SQLite by default). The service functions in
:mod:`.repository` take a Session and Pydantic inputs from :mod:`.schemas` and
return plain models, so the CLI and the web app share them.
"""
