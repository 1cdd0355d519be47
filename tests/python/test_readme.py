"""The README's curl walk-through works exactly as written."""
import os
import re
import subprocess

from conftest import ROOT


def walkthrough():
    text = open(os.path.join(ROOT, "README.md")).read()
    block = re.search(r"<!-- walkthrough:start -->\s*```bash\n(.*?)```\s*<!-- walkthrough:end -->", text, re.S)
    assert block, "README lost its walkthrough markers"
    return block.group(1)


def test_readme_walkthrough_runs_as_written(server_factory):
    server = server_factory(ADMIN_PASSWORD="changeme")
    script = walkthrough().replace("BASE=http://localhost:8080", f"BASE={server.base}", 1)
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=server.directory, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert '"client_id"' in result.stdout and '"client_secret"' in result.stdout
    assert lines[-1] == "401"
