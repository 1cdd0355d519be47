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


def readme_block(name):
    text = open(os.path.join(ROOT, "README.md")).read()
    block = re.search(rf"<!-- {name}:start -->\s*```bash\n(.*?)```\s*<!-- {name}:end -->", text, re.S)
    assert block, f"README lost its {name} markers"
    return block.group(1)


def test_readme_private_key_jwt_example_runs_as_written(server_factory):
    server = server_factory(ADMIN_PASSWORD="changeme")
    script = readme_block("private-key-jwt").replace("BASE=http://localhost:8080", f"BASE={server.base}", 1)
    env = dict(os.environ, PATH=os.path.dirname(os.sys.executable) + os.pathsep + os.environ["PATH"])
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=server.directory, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert '"access_token"' in result.stdout.strip().splitlines()[-1], result.stdout


def test_readme_dpop_example_runs_as_written(server_factory):
    server = server_factory(ADMIN_PASSWORD="changeme")
    script = readme_block("dpop").replace("BASE=http://localhost:8080", f"BASE={server.base}", 1)
    env = dict(os.environ, PATH=os.path.dirname(os.sys.executable) + os.pathsep + os.environ["PATH"])
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=server.directory, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert "'jkt'" in lines[-2], result.stdout
    assert lines[-1] == "401"
