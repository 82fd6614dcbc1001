"""Shared fixtures.

The real documents in ``../shared/corpus`` are not part of the project (a user's clone has no ``shared/``), so every
test that reads them skips cleanly when the folder is absent. The project's own ``samples/`` are always there.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"
SAMPLES_DIR = REPO_ROOT / "samples"
GOLD_DIR = REPO_ROOT / "tests" / "gold"
SAMPLE_SUFFIXES = (".txt", ".docx", ".pdf")


def _corpus_paths() -> list[Path]:
    return sorted(CORPUS_DIR.rglob("*.txt")) if CORPUS_DIR.is_dir() else []


def _sample_paths() -> list[Path]:
    return sorted(p for p in SAMPLES_DIR.iterdir() if p.suffix.lower() in SAMPLE_SUFFIXES)


def pytest_generate_tests(metafunc):
    """`corpus_file` runs a test once per corpus document (one skipped case when the corpus is absent);
    `sample_file` once per sample document (.txt, .docx, .pdf)."""
    if "corpus_file" in metafunc.fixturenames:
        files = _corpus_paths()
        if files:
            metafunc.parametrize("corpus_file", files, ids=[f"{p.parent.name}/{p.name}" for p in files])
        else:
            metafunc.parametrize("corpus_file", [pytest.param(None, marks=pytest.mark.skip(
                reason=f"corpus not present at {CORPUS_DIR}"))], ids=["no-corpus"])
    if "sample_file" in metafunc.fixturenames:
        files = _sample_paths()
        metafunc.parametrize("sample_file", files, ids=[p.name for p in files])


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"corpus not present at {CORPUS_DIR}")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def corpus_files(corpus_dir: Path) -> list[Path]:
    files = sorted(corpus_dir.rglob("*.txt"))
    if not files:
        pytest.skip(f"no .txt files under {corpus_dir}")
    return files


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    assert SAMPLES_DIR.is_dir(), f"samples folder missing: {SAMPLES_DIR}"
    return SAMPLES_DIR


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return GOLD_DIR


@lru_cache(maxsize=None)
def _parse_cached(path: str):
    import docparse

    return docparse.parse(path)


@pytest.fixture(scope="session")
def parsed():
    """parse(path) memoised for the session: tests must treat the returned Document as read-only."""

    def get(path) -> "docparse.Document":  # noqa: F821
        return _parse_cached(str(path))

    return get


@pytest.fixture
def corpus_doc(corpus_dir: Path, parsed):
    """Parse a corpus file given relative to the corpus folder; skip when that one file is absent."""

    def get(rel: str):
        path = corpus_dir / rel
        if not path.exists():
            pytest.skip(f"corpus file not present: {path}")
        return parsed(path)

    return get
