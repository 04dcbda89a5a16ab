"""Reading findings and case files given on the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class InputError(ValueError):
    """A file that cannot be read or parsed; the message says which and why."""


def read_data_file(path: Path) -> Any:
    """Parse a JSON or YAML file (``-`` reads standard input)."""
    import sys

    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a text file (it must be UTF-8 JSON or YAML)") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"{path}: cannot read file ({reason})") from None
    return parse_data(text, str(path))


def parse_data(text: str, where: str) -> Any:
    """JSON (for .json names) or YAML text, or InputError naming ``where``."""
    import yaml  # only for a file given: ``assess --text`` starts without it

    try:
        if where.endswith(".json"):
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0]
        raise InputError(f"{where}: not valid JSON or YAML ({first})") from None
    except RecursionError:
        raise InputError(f"{where}: nested too deeply to be findings or cases") from None


def findings_object(data: Any, path: Path) -> dict[str, Any]:
    """Accept a plain findings object, or a case with a ``findings`` key."""
    if isinstance(data, dict) and isinstance(data.get("findings"), dict):
        data = data["findings"]
    if not isinstance(data, dict):
        raise InputError(f'{path}: expected an object of findings, e.g. {{"age": 40}}')
    return data
