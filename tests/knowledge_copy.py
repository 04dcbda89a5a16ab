"""Run Unknot on a copy of its knowledge files: ``python knowledge_copy.py DATA_DIR``.

Used by test_new_red_flag.py: a fresh process (so every model generated from
the knowledge at import, like the API's schema, is built from the copy) whose
loader reads the copied YAML files instead of the installed ones. No code of
Unknot is changed: only where its data files are read from. Prints what the
engine, the knowledge check, the CLI and the API said, as JSON.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from unknot.knowledge import loader

DATA = Path(sys.argv[1])


def _read_copy(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


loader._read = _read_copy  # the one seam: where the data files are read from
loader.load_knowledge.cache_clear()

from fastapi.testclient import TestClient  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from unknot.cli import app as cli  # noqa: E402
from unknot.engine import run  # noqa: E402
from unknot.engine.check import check_knowledge  # noqa: E402
from unknot.web import Settings, create_app  # noqa: E402

findings = json.loads(sys.argv[2])
answers = json.loads(sys.argv[3])
kb = loader.load_knowledge()
out: dict[str, Any] = {"problems": check_knowledge(kb)}
out["engine"] = run(findings).to_dict()
with tempfile.TemporaryDirectory() as tmp:
    source = Path(tmp) / "findings.json"
    source.write_text(json.dumps(findings))
    result = CliRunner().invoke(cli, ["assess", "-f", str(source), "--format", "json"])
    out["cli"] = json.loads(result.stdout) if result.exit_code == 0 else result.output
    settings = Settings(secret_key="copy", database_url=f"sqlite:///{tmp}/diary.db")
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        out["api"] = client.post("/api/assess?full=true", json={"findings": findings}).json()
        out["interview"] = client.post("/api/interview", json={"answers": answers}).json()
        schema = client.get("/openapi.json").json()["components"]["schemas"]
        out["api_findings"] = sorted(schema["Findings"]["properties"])
print(json.dumps(out))
