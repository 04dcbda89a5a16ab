"""``python -m unknot`` runs the CLI."""

from .start import main

main()
