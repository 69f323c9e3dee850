"""Synthetic model-metadata tables for the benchmarks (deterministic: fixed seeds).

Only the shapes matter here, not the values: a heavy-tailed download count with many zeros, a
minority of models with a card, creation years 2018-2022, as in the hf-2022 demo dataset.
"""

import numpy as np
import pandas as pd


def downloads_and_cards(rows, seed):
    rng = np.random.default_rng(seed)
    has_card = (rng.random(rows) < 0.43).astype(np.int64)
    # Log-normal counts, more mass at zero for models without a card.
    scale = np.where(has_card == 1, 2.2, 1.8)
    downloads = np.floor(np.expm1(rng.normal(0.0, 1.0, rows) * scale + scale)).clip(min=0).astype(np.int64)
    downloads[rng.random(rows) < np.where(has_card == 1, 0.25, 0.6)] = 0
    created_year = rng.integers(2018, 2023, rows)
    return rng, has_card, downloads, created_year


def model_metadata(rows, seed=20240601):
    """Ten columns of model metadata: text, integer, real and boolean columns."""
    rng, has_card, downloads, created_year = downloads_and_cards(rows, seed)
    tasks = np.array(["fill-mask", "text-classification", "translation", "image-classification",
                      "automatic-speech-recognition", "text-generation", "question-answering"])
    libraries = np.array(["transformers", "pytorch", "tensorflow", "jax", "onnx", "timm"])
    licences = np.array(["apache-2.0", "mit", "cc-by-4.0", "other", ""])
    ids = np.arange(rows)
    return pd.DataFrame({
        "model_id": [f"org{i % 5003}/model-{i}" for i in ids],
        "author": [f"org{i % 5003}" for i in ids],
        "task": tasks[rng.integers(0, len(tasks), rows)],
        "library": libraries[rng.integers(0, len(libraries), rows)],
        "downloads": downloads,
        "likes": (downloads // 997).astype(np.int64),
        "has_card": np.where(has_card == 1, "true", "false"),
        "created_year": created_year,
        "size_mb": np.round(rng.lognormal(5.0, 1.5, rows), 3),
        "license": licences[rng.integers(0, len(licences), rows)],
    })


def hf_models(rows, seed=20221001):
    """The hf-2022 `models` table: has_card (1/0), downloads, created_year."""
    _, has_card, downloads, created_year = downloads_and_cards(rows, seed)
    return pd.DataFrame({"has_card": has_card, "downloads": downloads, "created_year": created_year})
