"""pip-audit over the installed (locked) packages, saying plainly what it could not check.

- A known vulnerability in any package: exit 1, naming the package and the advisory.
- A package the advisory service could not answer for (no network to it, or a
  version it does not know), or pip-audit unable to run at all: the audit is
  INCOMPLETE, and this says so on its own line with the count. That fails too
  when UNKNOT_AUDIT_STRICT=1 (set it where the service is reachable, e.g. a
  release machine); otherwise the run goes on, loudly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "audit.json"
        done = subprocess.run(
            [str(bin_dir / "pip-audit"), "--skip-editable", "--progress-spinner", "off",
             "--format", "json", "--output", str(report)],
            capture_output=True, text=True,
        )
        if not report.exists():  # e.g. the advisory service could not be reached at all
            reason = " ".join(done.stderr.split())[-300:]
            print(f"pip-audit: AUDIT INCOMPLETE: pip-audit could not run ({reason}).")
            return 1 if os.environ.get("UNKNOT_AUDIT_STRICT") == "1" else 0
        data = json.loads(report.read_text(encoding="utf-8"))
    deps = data.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if "skip_reason" in d]
    for dep in vulnerable:
        ids = ", ".join(v["id"] for v in dep["vulns"])
        print(f"pip-audit: VULNERABLE {dep['name']} {dep.get('version')}: {ids}")
    checked = len(deps) - len(skipped)
    print(f"pip-audit: {checked} of {len(deps)} packages checked, {len(vulnerable)} vulnerable")
    if skipped:
        print(
            f"pip-audit: AUDIT INCOMPLETE: {len(skipped)} package(s) could not be checked "
            f"(e.g. {skipped[0]['name']}: {skipped[0]['skip_reason']}). The advisory service "
            "did not answer for them; set UNKNOT_AUDIT_STRICT=1 to make this fail."
        )
    if vulnerable:
        return 1
    if skipped and os.environ.get("UNKNOT_AUDIT_STRICT") == "1":
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
