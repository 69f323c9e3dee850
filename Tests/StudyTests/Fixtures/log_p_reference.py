"""log10 of the demo's two p-values that underflow to 0 in double precision, computed independently
of triangulate: C3a (binomial, two-sided, p0 = 0.5: twice the upper tail, as the distribution is symmetric)
as an exact tail sum with mpmath at 50 digits, C1a
(Mann-Whitney U, two-sided, asymptotic with tie correction and continuity correction, as SciPy's
mannwhitneyu) with SciPy's log_ndtr. Writes log-p-reference.json next to this script."""
import csv
import json
import math
import os

import mpmath
import numpy as np
from scipy.special import log_ndtr
from scipy.stats import rankdata

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", "..", ".."))
mpmath.mp.dps = 50

# C3a: SELECT SUM(1 - has_card) AS successes, COUNT(*) AS trials FROM models; p0 = 0.5, two-sided.
with open(os.path.join(root, "corpus/datasets/hf-2022/models.csv"), newline="") as handle:
    rows = list(csv.DictReader(handle))
card = np.array([int(r["has_card"]) for r in rows])
downloads = np.array([float(r["downloads"]) for r in rows])
k, n = int((1 - card).sum()), len(card)
tail = 2 * mpmath.fsum(mpmath.binomial(n, x) for x in range(k, n + 1)) / mpmath.mpf(2) ** n
c3 = float(mpmath.log10(tail))

# C1a: grp = has_card, value = downloads, groups [1, 0], two-sided.
a, b = downloads[card == 1], downloads[card == 0]
n1, n2 = len(a), len(b)
ranks = rankdata(np.concatenate([a, b]))
u1 = ranks[:n1].sum() - n1 * (n1 + 1) / 2
u = max(u1, n1 * n2 - u1)
_, counts = np.unique(np.concatenate([a, b]), return_counts=True)
N = n1 + n2
sigma = math.sqrt(n1 * n2 / 12 * ((N + 1) - (counts ** 3 - counts).sum() / (N * (N - 1))))
z = (u - n1 * n2 / 2 - 0.5) / sigma
c1 = float((log_ndtr(-z) + math.log(2)) / math.log(10))

with open(os.path.join(here, "log-p-reference.json"), "w") as handle:
    json.dump({"C1/C1a": c1, "C3/C3a": c3, "C3a_successes": k, "C3a_trials": n}, handle, indent=2)
    handle.write("\n")
print(c1, c3)
