"""The frozen archetype model and its JSON form, so the service can store it in the database.

Pure module: standard library and numpy only (no scikit-learn needed to load a model and
assign people to it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, cast

import numpy as np
from numpy.typing import NDArray

from coach.analytics.naming import current_name

FORMAT = 1
"""Version of the dict layout written by ``to_dict``; bumped on incompatible changes."""

Kind = Literal["kmeans", "gmm", "prototypes"]
Structure = Literal["clear", "moderate", "weak", "not_fitted"]


@dataclass(frozen=True)
class CandidateFit:
    """One (kind, k) candidate's figures, as reported on the model-quality page.

    ``stability`` is the mean adjusted Rand index over ``resamples`` bootstrap refits: fewer
    than requested when stopped because it could no longer reach the threshold, and 0 (with
    stability None) when not bootstrapped because its smallest cluster was too small.
    ``silhouette`` is None when undefined (a single cluster in the sample).
    """

    kind: str
    k: int
    bic: float
    silhouette: float | None
    min_share: float
    stability: float | None
    resamples: int
    eligible: bool


@dataclass(frozen=True)
class FitQuality:
    """How the model was chosen and how good it is; the chosen candidate's figures repeated."""

    n_fit: int
    silhouette_n: int
    bootstrap: int
    bootstrap_rows: int
    candidates: tuple[CandidateFit, ...]
    criteria_met: bool
    silhouette: float | None
    stability: float | None
    min_share: float
    bic: float


def _rows(values: Sequence[Sequence[float]]) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(v) for v in row) for row in values)


@dataclass(frozen=True)
class ArchetypeModel:
    """A fitted (or prototype) archetype model, frozen and versioned.

    Arrays are in the order of ``scale_ids``; cluster-level tuples (centroids, sizes, keys,
    names, ...) share one cluster order, largest cluster first. ``keys`` are stable ids that
    survive refits via Hungarian matching; ``version`` counts refits (previous + 1).
    ``centroids_raw`` are in the feature metric: scale scores, or scores minus the person's
    own mean when ``shape`` is True. ``variances_z``/``weights`` are set for GMM only.
    """

    version: int
    kind: Kind
    k: int
    scale_ids: tuple[str, ...]
    shape: bool
    feature_means: tuple[float, ...]
    feature_sds: tuple[float, ...]
    centroids_z: tuple[tuple[float, ...], ...]
    centroids_raw: tuple[tuple[float, ...], ...]
    variances_z: tuple[tuple[float, ...], ...] | None
    weights: tuple[float, ...] | None
    sizes: tuple[int, ...]
    n_profiles: int
    n_excluded: int
    keys: tuple[str, ...]
    names: tuple[str, ...]
    descriptions: tuple[str, ...]
    structure: Structure
    quality: FitQuality | None
    seed: int
    # Arrays built once so that assignment costs microseconds, not a tuple conversion.
    means_array: NDArray[np.float64] = field(init=False, repr=False, compare=False)
    sds_array: NDArray[np.float64] = field(init=False, repr=False, compare=False)
    centroids_array: NDArray[np.float64] = field(init=False, repr=False, compare=False)
    variances_array: NDArray[np.float64] | None = field(init=False, repr=False, compare=False)
    weights_array: NDArray[np.float64] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        d, k = len(self.scale_ids), self.k
        if len(self.feature_means) != d or len(self.feature_sds) != d:
            raise ValueError("feature means/SDs must match scale_ids")
        for name in ("centroids_z", "centroids_raw", "sizes", "keys", "names", "descriptions"):
            if len(getattr(self, name)) != k:
                raise ValueError(f"{name} must have k = {k} entries")
        if (self.kind == "gmm") != (self.variances_z is not None and self.weights is not None):
            raise ValueError("variances_z and weights are required for, and only for, GMM")
        setter = object.__setattr__
        setter(self, "means_array", np.array(self.feature_means, dtype=np.float64))
        setter(self, "sds_array", np.array(self.feature_sds, dtype=np.float64))
        setter(self, "centroids_array", np.array(self.centroids_z, dtype=np.float64).reshape(k, d))
        setter(
            self,
            "variances_array",
            None if self.variances_z is None else np.array(self.variances_z, dtype=np.float64),
        )
        setter(
            self,
            "weights_array",
            None if self.weights is None else np.array(self.weights, dtype=np.float64),
        )

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-serialisable dict (lists, numbers, strings, None)."""
        out: dict[str, Any] = {"format": FORMAT}
        for name in self.__dataclass_fields__:
            if self.__dataclass_fields__[name].init and name != "quality":
                value = getattr(self, name)
                out[name] = _plain(value)
        out["quality"] = None if self.quality is None else _plain(asdict(self.quality))
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ArchetypeModel:
        """Rebuild a model from ``to_dict`` output (ValueError on an unknown format)."""
        if data.get("format") != FORMAT:
            raise ValueError(f"unsupported archetype model format {data.get('format')!r}")
        q = data["quality"]
        quality = None
        if q is not None:
            fields = {k: v for k, v in q.items() if k != "candidates"}
            quality = FitQuality(
                **fields, candidates=tuple(CandidateFit(**c) for c in q["candidates"])
            )
        var = data["variances_z"]
        weights = data["weights"]
        return cls(
            version=int(data["version"]),
            kind=cast(Kind, data["kind"]),
            k=int(data["k"]),
            scale_ids=tuple(data["scale_ids"]),
            shape=bool(data["shape"]),
            feature_means=tuple(float(v) for v in data["feature_means"]),
            feature_sds=tuple(float(v) for v in data["feature_sds"]),
            centroids_z=_rows(data["centroids_z"]),
            centroids_raw=_rows(data["centroids_raw"]),
            variances_z=None if var is None else _rows(var),
            weights=None if weights is None else tuple(float(v) for v in weights),
            sizes=tuple(int(v) for v in data["sizes"]),
            n_profiles=int(data["n_profiles"]),
            n_excluded=int(data["n_excluded"]),
            keys=tuple(data["keys"]),
            names=tuple(
                current_name(k, n) for k, n in zip(data["keys"], data["names"], strict=True)
            ),
            descriptions=tuple(data["descriptions"]),
            structure=cast(Structure, data["structure"]),
            quality=quality,
            seed=int(data["seed"]),
        )


def _plain(value: Any) -> Any:
    # Tuples become lists and numpy scalars Python numbers, so json.dumps accepts the dict.
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value
