"""Shared fixtures: the hand-checked mini dataset and the shipped sample, built by the import."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.db import Database
from dashboard.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI_SOURCE = FIXTURES / "mini"
SAMPLE_SOURCE = ROOT / "sample"


@pytest.fixture(scope="session")
def mini_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fixture imported into a fresh dataset folder."""
    out = tmp_path_factory.mktemp("mini") / "data"
    ingest(MINI_SOURCE, out)
    return out


@pytest.fixture(scope="session")
def mini_db(mini_dir: Path) -> Database:
    """A locked-down connection over the mini dataset."""
    return Database(mini_dir)


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample (sample/*.csv) imported with the same import users run."""
    out = tmp_path_factory.mktemp("sample") / "data"
    ingest(SAMPLE_SOURCE, out)
    return out


@pytest.fixture(scope="session")
def sample_db(sample_dir: Path) -> Database:
    """A connection over the freshly imported sample."""
    return Database(sample_dir)
