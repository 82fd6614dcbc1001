"""A set of [start, end) ranges with O(log n) overlap tests: exclusion lists can hold one range per table row."""
from __future__ import annotations

from bisect import bisect_right


class Ranges:
    def __init__(self, pairs):
        merged: list[list[int]] = []
        for a, b in sorted(p for p in pairs if p[1] > p[0]):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def overlaps(self, a: int, b: int) -> bool:
        i = bisect_right(self.starts, b - 1) - 1  # the last range starting before b
        return i >= 0 and self.ends[i] > a

    def contains(self, a: int, b: int) -> bool:
        i = bisect_right(self.starts, a) - 1
        return i >= 0 and self.starts[i] <= a and b <= self.ends[i]
