#!/usr/bin/env python3
"""Writes tfidf_reference.json: scikit-learn's TF-IDF and logistic regression on a small corpus.

The corpus is the 6 lowest-numbered included and 12 lowest-numbered excluded records of
Kitchenham 2010 (ASReview systematic-review-datasets, CC-BY 4.0; title + " " + abstract) plus
four sentences exercising Unicode tokenisation. The vectorizer is configured with the token rule
Prioritization uses (maximal runs of Unicode letters and digits, at least two code points, after
lowercasing) and sklearn's English stop-word list, which the JSON records so the Swift test can
check that both sides use the same list.

It also records the first outputs of SplitMix64 for two seeds, from the reference algorithm.

Run from the repository root:  python3 Tests/PrioritizationTests/make_reference.py
Requires scikit-learn (written with 1.9.1).
"""
import csv
import json
import os

import sklearn
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "..", "shared", "data", "slr", "asreview-systematic-review-datasets",
                    "Kitchenham_2010.csv")
TOKEN_PATTERN = r"(?u)[^\W_]{2,}"

with open(DATA, newline="", encoding="utf-8") as f:
    rows = sorted(csv.DictReader(f), key=lambda r: int(r["record_id"]))
included = [r for r in rows if r["label_included"] == "1"][:6]
excluded = [r for r in rows if r["label_included"] == "0"][:12]
documents = [{"id": r["record_id"], "text": r["title"] + " " + r["abstract"],
              "relevant": r["label_included"] == "1"} for r in sorted(included + excluded,
                                                                      key=lambda r: int(r["record_id"]))]
documents += [
    {"id": "u1", "text": "Naïve Café STRASSE Straße 2010 x2 foo_bar a b ² ³ ①② cafe\u0301s", "relevant": False},
    {"id": "u2", "text": "Ελληνικά ΚΕΙΜΕΝΑ and Кириллица: systematic review, mapping-study; 3.14", "relevant": False},
    {"id": "u3", "text": "日本語のテキスト and the the THE of", "relevant": False},
    {"id": "u4", "text": "", "relevant": False},
]
texts = [d["text"] for d in documents]
stop_words = sorted(ENGLISH_STOP_WORDS)


def tfidf(sublinear):
    vectorizer = TfidfVectorizer(token_pattern=TOKEN_PATTERN, stop_words=stop_words, lowercase=True,
                                 norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=sublinear)
    matrix = vectorizer.fit_transform(texts).tocsr()
    matrix.sort_indices()
    vocabulary = [term for term, _ in sorted(vectorizer.vocabulary_.items(), key=lambda kv: kv[1])]
    rows = []
    for i in range(matrix.shape[0]):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        rows.append({"indices": matrix.indices[start:end].tolist(),
                     "values": matrix.data[start:end].tolist()})
    return vectorizer, matrix, {"vocabulary": vocabulary, "idf": vectorizer.idf_.tolist(), "rows": rows}


_, plain_matrix, plain = tfidf(False)
_, _, sublinear = tfidf(True)

labels = [1 if d["relevant"] else 0 for d in documents]
logistic = []
for c in (1.0, 10.0):
    model = LogisticRegression(C=c, class_weight="balanced", solver="lbfgs", tol=1e-12, max_iter=100000)
    model.fit(plain_matrix, labels)
    logistic.append({"C": c, "coefficients": model.coef_[0].tolist(),
                     "intercept": float(model.intercept_[0]),
                     "probabilities": model.predict_proba(plain_matrix)[:, 1].tolist()})



def splitmix64(seed, count):
    """The reference SplitMix64 (Steele, Lea & Flood 2014), for the generator test."""
    mask = (1 << 64) - 1
    state, out = seed, []
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        out.append(str(z ^ (z >> 31)))
    return out


reference = {
    "generator": "make_reference.py with scikit-learn " + sklearn.__version__,
    "token_pattern": TOKEN_PATTERN,
    "stop_words": stop_words,
    "documents": documents,
    "tfidf": plain,
    "tfidf_sublinear": sublinear,
    "logistic_regression": logistic,
    "splitmix64": {"0": splitmix64(0, 5), "20260101": splitmix64(20260101, 5)},
}
with open(os.path.join(HERE, "tfidf_reference.json"), "w", encoding="utf-8") as f:
    json.dump(reference, f, ensure_ascii=False, indent=1)
    f.write("\n")
