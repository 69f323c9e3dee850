#!/usr/bin/env python3
"""The demo claims C1, C3 and C4 computed with pandas and SciPy, for benchmark (b).

Usage: python3 Benchmarks/matrix_pandas.py MODELS_CSV

Reads the hf-2022 `models` table (has_card, downloads, created_year) and runs what the matrix runs
for the three claims: C1a Mann-Whitney U of downloads by has_card (one-sided, card greater, with the
rank-biserial correlation), C3a a binomial test of the share of models without a card against 0.5,
C4a a binomial test of the share with a card among models with at least 1,000 downloads; then
Holm's correction. Prints the results and the elapsed time (CSV read included).
"""

import sys
import time

start = time.perf_counter()

import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402


def holm(pvalues):
    order = sorted(range(len(pvalues)), key=lambda i: pvalues[i])
    adjusted, running = [0.0] * len(pvalues), 0.0
    for position, index in enumerate(order):
        running = max(running, min(1.0, (len(pvalues) - position) * pvalues[index]))
        adjusted[index] = running
    return adjusted


def main():
    models = pd.read_csv(sys.argv[1])
    card = models.loc[models["has_card"] == 1, "downloads"].to_numpy()
    no_card = models.loc[models["has_card"] == 0, "downloads"].to_numpy()
    c1 = stats.mannwhitneyu(card, no_card, alternative="greater")
    rank_biserial = 2 * c1.statistic / (len(card) * len(no_card)) - 1

    without = int((1 - models["has_card"]).sum())
    c3 = stats.binomtest(without, len(models), 0.5, alternative="greater")

    popular = models.loc[models["downloads"] >= 1000, "has_card"]
    c4 = stats.binomtest(int(popular.sum()), len(popular), 0.5, alternative="greater")

    adjusted = holm([c1.pvalue, c3.pvalue, c4.pvalue])
    print(f"C1a Mann-Whitney U = {c1.statistic:.0f}, n = {len(card)} + {len(no_card)}, "
          f"rank-biserial = {rank_biserial:.4f}, p = {c1.pvalue:.3g}, Holm p = {adjusted[0]:.3g}")
    print(f"C3a binomial {without}/{len(models)} = {without / len(models):.4f}, p = {c3.pvalue:.3g}, Holm p = {adjusted[1]:.3g}")
    print(f"C4a binomial {int(popular.sum())}/{len(popular)} = {popular.mean():.4f}, p = {c4.pvalue:.3g}, Holm p = {adjusted[2]:.3g}")
    print(f"elapsed: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
