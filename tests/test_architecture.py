"""The layers keep their direction: the domain imports the standard library and itself; inside
`app/`, the HTTP edge may use the services and the store, the services the store, the store
neither."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DOMAIN = ROOT / "domain"


def imported_modules(path: Path, depth: int = 1) -> set[str]:
    """The modules a file imports, anywhere in it, cut to their first `depth` names."""
    tree = ast.parse(path.read_text())
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {".".join(alias.name.split(".")[:depth]) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(".".join(node.module.split(".")[:depth]))
    return modules


def imported_top_level_modules(path: Path) -> set[str]:
    return imported_modules(path)


def test_the_domain_imports_only_the_standard_library() -> None:
    files = sorted(DOMAIN.glob("*.py"))
    assert files
    for path in files:
        foreign = imported_top_level_modules(path) - set(sys.stdlib_module_names) - {"domain"}
        assert not foreign, f"{path.name} imports {foreign}"


# What each package of `app/` may not import (the CLI and the settings sit on top of them all).
FORBIDDEN = {
    "store": {"app.api", "app.services", "app.demo", "app.cli"},
    "services": {"app.api", "app.demo", "app.cli"},
    "api": {"app.demo", "app.cli"},
    "demo": {"app.api", "app.cli"},
}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_each_layer_of_the_app_imports_only_the_layers_below_it(package: str) -> None:
    files = sorted((ROOT / "app" / package).glob("*.py"))
    assert len(files) > 1
    for path in files:
        upward = imported_modules(path, depth=2) & FORBIDDEN[package]
        assert not upward, f"app/{package}/{path.name} imports {upward}"


def test_the_app_keeps_only_settings_start_up_logging_and_the_cli_at_its_top() -> None:
    top = {path.name for path in (ROOT / "app").glob("*.py")}
    assert top == {"__init__.py", "settings.py", "startup.py", "logs.py", "cli.py"}
