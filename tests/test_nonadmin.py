"""Text docparse was not made for (news, recipes, shop pages, forums…, tests/nonadmin_pages.py) must parse and check
without any exception but a DocparseError, with every span inside the text. The full run of 2 400 pages is
benchmarks/nonadmin.py."""
from __future__ import annotations

import pytest

from fuzz_strategies import parse_and_check
from nonadmin_pages import page

N_PAGES = 240


@pytest.mark.parametrize("chunk", range(8))
def test_nonadmin_pages_never_crash(chunk):
    for i in range(chunk, N_PAGES, 8):
        parse_and_check(page(i, seed=1))
