"""A set of [start, end) ranges with O(log n) overlap tests: exclusion lists can hold one range per table row."""
from __future__ import annotations

from bisect import bisect_right


class Ranges:
    def __init__(self, pairs):
        starts: list[int] = []
        ends: list[int] = []
        end = None  # the end of the last merged range
        for a, b in sorted(p for p in pairs if p[1] > p[0]):
            if end is not None and a <= end:
                if b > end:
                    ends[-1] = end = b
            else:
                starts.append(a)
                ends.append(b)
                end = b
        self.starts = starts
        self.ends = ends

    def overlaps(self, a: int, b: int) -> bool:
        i = bisect_right(self.starts, b - 1) - 1  # the last range starting before b
        return i >= 0 and self.ends[i] > a

    def contains(self, a: int, b: int) -> bool:
        i = bisect_right(self.starts, a) - 1
        return i >= 0 and self.starts[i] <= a and b <= self.ends[i]
