"""The domain stays pure: it imports the standard library and itself, nothing else."""

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).parent.parent / "domain"


def imported_top_level_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def test_the_domain_imports_only_the_standard_library() -> None:
    files = sorted(DOMAIN.glob("*.py"))
    assert files
    for path in files:
        foreign = imported_top_level_modules(path) - set(sys.stdlib_module_names) - {"domain"}
        assert not foreign, f"{path.name} imports {foreign}"
