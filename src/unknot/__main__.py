"""``python -m unknot`` runs the CLI."""

from .cli import main

main()
