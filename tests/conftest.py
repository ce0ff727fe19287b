from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


@pytest.fixture
def spec_file(tmp_path):
    """Write spec text to a file and return its path."""

    def write(text, name="spec.toml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
