"""6. Duplicate customers: `dedupe.propose_merges` on 10,000 customers, against comparing every pair.

* **ours**: `propose_merges` as the refresh calls it: equal keys grouped, close keys
  found through their one-letter deletions, each candidate checked.
* **every pair**: difflib's ratio of every pair of keys (the naive close match), on a
  sample of the customers, scaled to all n(n-1)/2 pairs.

The customers are the sample's names (stem, industry, suffix), numbered to stay
distinct, and 1% of them copied with a one-letter typo: each copy must be proposed
with its original.
"""

from __future__ import annotations

import difflib
import random
import time

import pandas as pd

from benchmarks.common import fmt_s, timed
from sales_tools.core.dedupe import name_key, propose_merges
from sales_tools.sample_catalog import INDUSTRIES, NAME_STEMS, NAME_SUFFIXES

FULL, QUICK = 10_000, 500
TYPOS = 0.01
PAIRS_SAMPLE = 300  # customers whose every pair the naive way compares (then scaled)


def customers(n: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`n` customers, the last `TYPOS` of them one-letter typos of others; and (typo ID, original ID)."""
    rng = random.Random(seed)
    twins = max(1, int(n * TYPOS))
    names = [
        f"{rng.choice(NAME_STEMS)} {rng.choice(INDUSTRIES)} {rng.choice(NAME_SUFFIXES)} {i}" for i in range(n - twins)
    ]
    copied = rng.sample(range(len(names)), twins)
    typos = []
    for i in copied:
        name = names[i]
        at = rng.choice([j for j, ch in enumerate(name.split()[0]) if ch.isalpha()])  # in the stem
        typos.append(name[:at] + rng.choice("xyzq") + name[at + 1 :])
    ids = [f"C{i:06d}" for i in range(n)]
    table = pd.DataFrame({"customer_id": ids, "name": names + typos})
    return table, pd.DataFrame({"typo": ids[n - twins :], "original": [ids[i] for i in copied]})


def every_pair_seconds(table: pd.DataFrame) -> float:
    """The naive way's time for all pairs, from the pairs of `PAIRS_SAMPLE` customers."""
    keys = name_key(table["name"].head(PAIRS_SAMPLE)).tolist()
    start = time.perf_counter()
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            difflib.SequenceMatcher(None, a, b).ratio()
    spent = time.perf_counter() - start
    n, sampled = len(table), len(keys)
    return spent * (n * (n - 1)) / (sampled * (sampled - 1))


def found(proposed: pd.DataFrame, twins: pd.DataFrame) -> int:
    """How many typo copies are proposed with their original."""
    pairs = set(zip(proposed["customer_id"], proposed["duplicate_id"]))
    return sum((o, t) in pairs or (t, o) in pairs for t, o in zip(twins["typo"], twins["original"]))


def run(quick: bool, repeat: int, **_) -> list[dict]:
    n = QUICK if quick else FULL
    table, twins = customers(n)
    timing, proposed = timed(lambda: propose_merges(table), repeat)
    naive = every_pair_seconds(table)
    return [
        {
            "customers": f"{n:,}",
            "ours (median)": fmt_s(timing.median),
            "every pair with difflib (estimated)": fmt_s(naive),
            "ratio": f"{naive / timing.median:,.0f}x",
            "typos proposed": f"{found(proposed, twins)} of {len(twins)}",
            "proposals": f"{len(proposed):,}",
        }
    ]
