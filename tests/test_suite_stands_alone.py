"""The suite needs nothing beside the repository: a fresh clone runs `make test` and `.ci/run` as is."""

import ast
from pathlib import Path

TESTS = Path(__file__).parent
REPOSITORY = TESTS.parent


def strings_in(path):
    return [
        node.value
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_no_test_names_a_path_outside_the_repository():
    """The folder beside the repository (../shared) holds material for people, not for the suite."""
    outside = {}
    for path in sorted(set(TESTS.rglob("*.py")) - {Path(__file__)}):  # this file names what it looks for
        found = [text for text in strings_in(path) if text.strip("/") == "shared" or "../shared" in text]
        if found:
            outside[str(path.relative_to(REPOSITORY))] = found
    assert outside == {}


def test_every_data_file_is_described_with_its_origin_and_licence():
    readme = (TESTS / "data" / "README.md").read_text(encoding="utf-8")
    assert "AGPL-3.0-or-later" in readme
    data_files = sorted(path.name for path in (TESTS / "data").iterdir() if path.name != "README.md")
    assert data_files, "tests/data holds the suite's data"
    assert [name for name in data_files if f"`{name}`" not in readme] == []
