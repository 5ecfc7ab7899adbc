"""The package as a vendor installs it: its declarations compile against real use and name exactly what
the module exports, and it loads nothing from outside itself."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]
SOURCE = PACKAGE / "src"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run `make install`")
    return path


def test_the_declarations_compile_against_an_ehrs_typescript():
    tsc = PACKAGE / "node_modules" / ".bin" / "tsc"
    assert tsc.exists(), "TypeScript is not installed in the package: run `make install`"
    result = subprocess.run([str(tsc), "-p", str(PACKAGE / "tests" / "types" / "tsconfig.json")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_declarations_name_exactly_what_the_module_exports():
    script = f"import(process.argv[1]).then((m) => console.log(JSON.stringify(Object.keys(m).sort())))"
    result = subprocess.run([_tool("node"), "--input-type=module", "-e", script, (SOURCE / "index.js").as_uri()],
                            capture_output=True, text=True, timeout=60, check=True)
    exported = json.loads(result.stdout)
    declared = sorted(re.findall(r"^export declare (?:const|class|function) (\w+)", (SOURCE / "index.d.ts").read_text(),
                                 re.M))
    assert exported == declared


def test_the_package_imports_only_its_own_modules():
    manifest = json.loads((PACKAGE / "package.json").read_text())
    assert "dependencies" not in manifest, "the package itself depends on nothing"
    for module in SOURCE.glob("*.js"):
        for specifier in re.findall(r'^(?:import|export) .*? from "([^"]+)"', module.read_text(), re.M):
            assert specifier.startswith("./") and (SOURCE / specifier).is_file(), (module.name, specifier)
