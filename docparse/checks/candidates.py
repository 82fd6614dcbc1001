"""Which report texts a plan's task title can match (rapidfuzz token_set_ratio ≥ 80, task.unreported) without scoring
every text: an issuer whose tasks are never reported would otherwise score every title against every sentence.

With A, B the token sets of title and text, S = A ∩ B, DA = A − B, DB = B − A, and |x| the length of a set's tokens
joined by spaces, rapidfuzz 3 scores ≥ 80 only along one of three paths (fuzz.token_set_ratio):
1. S ≠ ∅ and DA = ∅ or DB = ∅ (one is part of the other, 100): B holds every token of A, or A every token of B;
2. S ≠ ∅ and |DA| ≤ |S|/2 − 1 (or the same of DB): the tokens of A missing from B weigh under a third of A;
3. the Indel distance of "DA joined" and "DB joined" is at most 0.2·L (rounded up), L = 2(|S| + 1) + |DA| + |DB| (without S: |DA| + |DB|).
Paths 1 and 2 need B to hold one of A's rarest tokens whose joined length (each token + 1) is over a third of A's
plus one (else |DA| > |A|/3 − 1 > |S|/2 − 1), or A one of B's: a prefix filter on tokens (`by_token`, `by_prefix`). Path 3 needs no shared token (typos in every word); it is
bounded with character counts. Let bag(T) be the multiset of the characters of T's tokens plus one separator per
token, M(T) its size, O(A, B) the size of the overlap of two bags, σ the characters of S and k = |S| (DA and DB are
not empty on path 3, else it is path 1). Then |DA| + |DB| = M(A) + M(B) − 2(σ + k) − 2, L = 2(σ + k) + |DA| + |DB|,
and the longest common subsequence of the joined differences is at most O(A, B) − σ − k − 1 (their characters
overlap as A's and B's less S's; their separators as min(|A|, |B|) − k − 1). Indel = |DA| + |DB| − 2·LCS
≤ 0.2·L + 1 then gives, σ and k cancelling out:
    O(A, B) ≥ 0.4·(M(A) + M(B)) − 0.3,   so also (O ≤ M) 2/3·M(A) − 0.5 ≤ M(B) ≤ 1.5·M(A) + 0.75.
That bound is computed for the texts of a compatible size at once (numpy: one column of counts per character of
the title) instead of scoring them. Only the texts passing it, and those sharing a rare token, are scored, so the
result is the one of scoring every text (tests/test_parallel.py checks the bound on random pairs with typos).
It stays a scan of the texts of a compatible size, in C: character bags of unrelated sentences differ in many rare
characters, so no exact index over them was found to skip that scan.
"""
from __future__ import annotations

import bisect
from collections import Counter, defaultdict

import numpy as np

CUTOFF = 80  # the score task.unreported asks for; the bounds above are for this one


def _mass(tokens) -> int:
    """len(" ".join(tokens)): the length rapidfuzz's token_set_ratio gives a set of tokens."""
    return sum(map(len, tokens)) + len(tokens) - 1


def bag(tokens: set[str]) -> Counter:
    """Characters of the distinct tokens, plus one separator ("") per token."""
    out = Counter("".join(tokens))
    out[""] = len(tokens)
    return out


class TextIndex:
    """The report texts, indexed for `candidates(title)`: every text whose score with the title can reach 80."""

    def __init__(self, texts: list[str]):
        tokens = [set(t.split()) for t in texts]
        self.df = Counter(tok for toks in tokens for tok in toks)
        self.by_token: dict[str, list[int]] = defaultdict(list)
        self.by_prefix: dict[str, list[int]] = defaultdict(list)
        for i, toks in enumerate(tokens):
            for tok in toks:
                self.by_token[tok].append(i)
            for tok in self._prefix(toks, _mass(toks)):
                self.by_prefix[tok].append(i)
        bags = [bag(toks) for toks in tokens]
        sizes = [sum(b.values()) for b in bags]
        self.order = np.array(sorted(range(len(texts)), key=sizes.__getitem__), dtype=np.int64)
        self.sizes = np.array([sizes[i] for i in self.order], dtype=np.float64)
        counts: dict[str, np.ndarray] = {}
        for row, i in enumerate(self.order):
            for ch, n in bags[i].items():
                col = counts.get(ch)
                if col is None:
                    col = counts[ch] = np.zeros(len(texts), dtype=np.int32)
                col[row] = n
        self.counts = counts  # one column per character, rows in the order of size

    def _prefix(self, tokens: set[str], length: int) -> list[str]:
        out, mass = [], 0
        for tok in sorted(tokens, key=lambda t: (self.df.get(t, 0), t)):
            out.append(tok)
            mass += len(tok) + 1
            if mass > length / 3 + 1:  # one character of slack for rapidfuzz's rounding
                break
        return out

    def _close_bags(self, tokens: set[str]) -> np.ndarray:
        """The texts whose bag overlaps the title's enough for path 3 (O ≥ 0.4·(M(A) + M(B)) − 0.3)."""
        b = bag(tokens)
        m = sum(b.values())
        # O ≤ min(M(A), M(B)) bounds the sizes that can pass at all
        lo = bisect.bisect_left(self.sizes, (0.4 * m - 0.3) / 0.6 - 1e-9)
        hi = bisect.bisect_right(self.sizes, (0.6 * m + 0.3) / 0.4 + 1e-9)
        if lo >= hi:
            return self.order[:0]
        overlap = np.zeros(hi - lo, dtype=np.int32)
        for ch, n in b.items():
            col = self.counts.get(ch)
            if col is not None:
                overlap += np.minimum(col[lo:hi], n)
        need = 0.4 * (m + self.sizes[lo:hi]) - 0.3 - 1e-9
        return self.order[lo:hi][overlap >= need]

    def candidates(self, title: str) -> list[int]:
        """Indexes of the texts (ascending) that can score ≥ 80 with `title`."""
        tokens = set(title.split())
        if not tokens:
            return []  # token_set_ratio is 0
        out = set(self._close_bags(tokens).tolist())
        for tok in self._prefix(tokens, _mass(tokens)):
            out.update(self.by_token.get(tok, ()))
        for tok in tokens:
            out.update(self.by_prefix.get(tok, ()))
        return sorted(out)
