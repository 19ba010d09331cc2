"""Checks the Python wheel that `npx projen package:python` builds, without aws-cdk-lib for Python.

Usage: python3 projenrc/check-python-wheel.py <dir-with-the-wheel> <path-to-.jsii>

The bindings import aws_cdk, cdk_nag, constructs and the jsii runtime, none of which this machine has
for Python, so the wheel is checked as far as it can be without them:

- the directory holds exactly one wheel, named for the distribution `cdk-api-reachability`;
- the wheel lists cdk_api_reachability/__init__.py, _jsii/__init__.py, py.typed and the jsii assembly
  tarball (which holds the package's .jsii and lib/index.js), and the `api-reachability` script;
- every .py file in it byte-compiles;
- the module defines a class for every class, interface, struct and enum of the assembly's
  top-level namespace (by name, read from the .jsii), and lists each in __all__;
- its metadata requires aws-cdk-lib, cdk-nag, constructs and jsii.

Exits 1 with one line per problem; prints one line and exits 0 when the wheel passes.
"""

import ast
import io
import json
import sys
import tarfile
import zipfile
from pathlib import Path

DIST_NAME = "cdk_api_reachability"
MODULE = "cdk_api_reachability"
REQUIRED_DEPS = ("aws-cdk-lib", "cdk-nag", "constructs", "jsii")


def check(wheel_dir: Path, assembly_path: Path) -> list:
    problems = []
    wheels = sorted(wheel_dir.glob("*.whl"))
    if len(wheels) != 1:
        return [f"expected exactly one wheel in {wheel_dir}, found {len(wheels)}"]
    wheel = wheels[0]
    if not wheel.name.startswith(f"{DIST_NAME}-") or not wheel.name.endswith("-py3-none-any.whl"):
        problems.append(f"{wheel.name}: not a pure-Python wheel of {DIST_NAME}")

    assembly = json.loads(assembly_path.read_text(encoding="utf-8"))
    version = assembly["version"]
    tarball = f"{MODULE}/_jsii/{assembly['name']}@{version}.jsii.tgz"

    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for required in (f"{MODULE}/__init__.py", f"{MODULE}/_jsii/__init__.py", f"{MODULE}/py.typed", tarball):
            if required not in names:
                problems.append(f"{wheel.name} does not list {required}")
        if not any(n.endswith(".data/scripts/api-reachability") for n in names):
            problems.append(f"{wheel.name} has no api-reachability script")

        for name in sorted(n for n in names if n.endswith(".py")):
            try:
                compile(z.read(name), name, "exec")
            except SyntaxError as e:
                problems.append(f"{name} does not byte-compile: {e}")

        if tarball in names:
            with tarfile.open(fileobj=io.BytesIO(z.read(tarball)), mode="r:gz") as t:
                members = set(t.getnames())
                for required in ("package/.jsii", "package/lib/index.js", "package/package.json"):
                    if required not in members:
                        problems.append(f"{tarball} does not hold {required}")

        init = f"{MODULE}/__init__.py"
        if init in names:
            problems.extend(check_module(ast.parse(z.read(init)), assembly))

        metadata = [n for n in names if n.endswith(".dist-info/METADATA")]
        if len(metadata) != 1:
            problems.append(f"{wheel.name} has {len(metadata)} METADATA files")
        else:
            text = z.read(metadata[0]).decode("utf-8")
            requires = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Requires-Dist:")]
            for dep in REQUIRED_DEPS:
                if not any(r == dep or r.startswith((f"{dep}>", f"{dep}=", f"{dep}<", f"{dep} ")) for r in requires):
                    problems.append(f"{wheel.name} does not require {dep}")
            if f"Version: {version}" not in text.splitlines():
                problems.append(f"{wheel.name}: METADATA version is not the assembly's {version}")
    return problems


def check_module(tree: ast.Module, assembly: dict) -> list:
    """Each top-level type of the assembly is a class of the module and is listed in __all__."""
    prefix = f"{assembly['name']}."
    expected = sorted(fqn[len(prefix):] for fqn in assembly.get("types", {}) if "." not in fqn[len(prefix):])
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    exported = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            exported = {elt.value for elt in node.value.elts if isinstance(elt, ast.Constant)}
    problems = []
    if not expected:
        problems.append("the assembly has no top-level types")
    for name in expected:
        if name not in classes:
            problems.append(f"{MODULE}/__init__.py defines no class {name}")
        if name not in exported:
            problems.append(f"{MODULE}/__init__.py does not list {name} in __all__")
    return problems


def main(argv: list) -> int:
    if len(argv) != 3:
        print("usage: check-python-wheel.py <dir-with-the-wheel> <path-to-.jsii>", file=sys.stderr)
        return 2
    wheel_dir, assembly_path = Path(argv[1]), Path(argv[2])
    problems = check(wheel_dir, assembly_path)
    for p in problems:
        print(f"check-python-wheel: {p}", file=sys.stderr)
    if problems:
        return 1
    wheel = next(wheel_dir.glob("*.whl"))
    print(f"check-python-wheel: {wheel} is complete (module {MODULE}, jsii assembly, every type, byte-compiled)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
