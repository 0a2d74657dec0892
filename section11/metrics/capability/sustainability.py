"""Sustainability profile: what the athlete actually held for 5 min ... 2 h in the last 42
days, against what the power-duration models predict from FTP.

Per family (cycling, ski, rowing — those trained in the last 28 days), per anchor duration:
the best power of the 42 days (``actual_watts``), W/kg, the best HR sustained as long and
its % of the family's LTHR. Cycling adds two model predictions from FTP: Coggan's duration
factors and the critical-power model P = CP + W'/t (FTP stands in for CP). A family needs
at least two observed anchors, else its anchors are null with the coverage ratio.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Literal

from pydantic import Field

from section11.metrics._common import MetricModel
from section11.metrics.capability.curve_delta import anchor_value
from section11.sources.intervals_icu.curve_models import DataCurve

WINDOW_DAYS = 42
FAMILY_ANCHORS: dict[str, tuple[int, ...]] = {
    "cycling": (300, 600, 1200, 1800, 3600, 5400, 7200),
    "ski": (60, 120, 300, 600, 1200, 1800),
    "rowing": (60, 120, 300, 600, 1200, 1800),
}
# Allen & Coggan (3rd ed.): sustainable power at a duration as a fraction of FTP.
COGGAN_FACTORS: dict[int, float] = {
    300: 1.06,
    600: 0.97,
    1200: 0.93,
    1800: 0.90,
    3600: 0.86,
    5400: 0.82,
    7200: 0.78,
}
MIN_OBSERVED_ANCHORS = 2


def _is_none(value: object) -> bool:
    return value is None


def _omitted_when_none() -> Any:
    """Keys other families (or a complete block) do not have are left out, not nulled."""
    return Field(default=None, exclude_if=_is_none)


WeightSource = Literal["wellness_recent", "wellness_extended", "athlete_profile"]
AnchorSource = Literal["observed", "observed_indoor", "observed_outdoor"]

MODEL_TRUST_NOTE = (
    "The CP/W' model (P = CP + W'/t, FTP as CP) leads up to 20 min, where W' matters; "
    "Coggan duration factors (Allen & Coggan, 3rd ed.) lead from 60 min; both apply at "
    "30 min. model_divergence_pct = (actual - CP model) / CP model x 100; positive at short "
    "durations = strong anaerobic capacity or a stale W'. Indoor best efforts run 3-5 % "
    "below outdoor (cooling, motivation): 'source' says where each anchor was set."
)
FEW_ANCHORS_NOTE = (
    "fewer than 2 anchor durations observed in the window; anchors withheld "
    "(coverage_ratio shows the share observed)"
)
NOTHING_NOTE = (
    "no cycling, ski or rowing activity in the last 28 days, or no curve data for them: "
    "nothing to profile"
)


class SustainabilityWindow(MetricModel):
    days: int = WINDOW_DAYS
    start: date
    end: date


class SustainabilityAnchor(MetricModel):
    actual_watts: int | None
    actual_wpkg: float | None
    actual_hr: int | None
    pct_lthr: float | None
    source: AnchorSource | None


class CyclingSustainabilityAnchor(SustainabilityAnchor):
    """Cycling adds the model predictions (null when FTP or W' is unknown)."""

    coggan_watts: int | None
    coggan_wpkg: float | None
    cp_model_watts: int | None
    cp_model_wpkg: float | None
    model_divergence_pct: float | None


class FamilySustainability(MetricModel):
    anchors: dict[str, CyclingSustainabilityAnchor | SustainabilityAnchor] | None
    coverage_ratio: float
    observed_anchors: int
    note: str | None = _omitted_when_none()


class CyclingSustainability(FamilySustainability):
    """Cycling adds the inputs of its model columns (written only with anchors)."""

    ftp_used: int | None = _omitted_when_none()
    w_prime_used: int | None = _omitted_when_none()
    ftp_staleness_days: int | None = _omitted_when_none()
    model_trust_note: str | None = _omitted_when_none()


class FamilyInputs(MetricModel):
    """What one family's profile is built from."""

    power: DataCurve | None
    hr: DataCurve | None
    lthr: float | None


class CyclingModel(MetricModel):
    """FTP (W), W' (J) and days since FTP was last set, for the cycling model columns."""

    ftp: int | None
    w_prime: int | None
    ftp_staleness_days: int | None


def _wpkg(watts: int | None, weight_kg: float | None) -> float | None:
    if watts is None or weight_kg is None or weight_kg <= 0:
        return None
    return round(watts / weight_kg, 2)


def _pct(value: int | None, reference: float | None) -> float | None:
    if value is None or reference is None or reference <= 0:
        return None
    return round(100 * value / reference, 1)


def _point_activity(curve: DataCurve | None, secs: int) -> str | None:
    if curve is None:
        return None
    for i, duration in enumerate(curve.secs or []):
        if duration == secs:
            ids = curve.activity_id or []
            return ids[i] if i < len(ids) else None
    return None


def family_profile(
    family: str,
    inputs: FamilyInputs,
    weight_kg: float | None,
    *,
    is_indoor: Callable[[str], bool | None],
    cycling: CyclingModel | None = None,
) -> FamilySustainability:
    """One family's block. ``is_indoor(activity_id)`` labels cycling anchors (None: unknown)."""
    anchors = FAMILY_ANCHORS[family]
    table: dict[str, CyclingSustainabilityAnchor | SustainabilityAnchor] = {}
    observed = 0
    for secs in anchors:
        watts = anchor_value(inputs.power, secs)
        hr = anchor_value(inputs.hr, secs)
        source: AnchorSource | None = None
        if watts is not None:
            observed += 1
            source = "observed"
            if cycling is not None:
                activity = _point_activity(inputs.power, secs)
                indoor = is_indoor(activity) if activity is not None else None
                if indoor is not None:
                    source = "observed_indoor" if indoor else "observed_outdoor"
        actual = SustainabilityAnchor(
            actual_watts=watts,
            actual_wpkg=_wpkg(watts, weight_kg),
            actual_hr=hr,
            pct_lthr=_pct(hr, inputs.lthr),
            source=source,
        )
        if cycling is None:
            table[f"{secs}s"] = actual
            continue
        coggan = cp = None
        if cycling.ftp is not None:
            coggan = round(cycling.ftp * COGGAN_FACTORS[secs])
            if cycling.w_prime is not None:
                cp = round(cycling.ftp + cycling.w_prime / secs)
        table[f"{secs}s"] = CyclingSustainabilityAnchor(
            **actual.model_dump(),
            coggan_watts=coggan,
            coggan_wpkg=_wpkg(coggan, weight_kg),
            cp_model_watts=cp,
            cp_model_wpkg=_wpkg(cp, weight_kg),
            model_divergence_pct=(
                None if watts is None or cp is None else round(100 * (watts - cp) / cp, 1)
            ),
        )
    coverage = round(observed / len(anchors), 2)
    enough = observed >= MIN_OBSERVED_ANCHORS
    common = {
        "anchors": table if enough else None,
        "coverage_ratio": coverage,
        "observed_anchors": observed,
        "note": None if enough else FEW_ANCHORS_NOTE,
    }
    if cycling is None:
        return FamilySustainability.model_validate(common)
    return CyclingSustainability.model_validate(
        common
        | (
            {
                "ftp_used": cycling.ftp,
                "w_prime_used": cycling.w_prime,
                "ftp_staleness_days": cycling.ftp_staleness_days,
                "model_trust_note": MODEL_TRUST_NOTE,
            }
            if enough
            else {}
        )
    )


def sustainability_weight(
    recent: float | None, extended: float | None, profile: float | None
) -> tuple[float | None, WeightSource | None]:
    """The newest weight of the display window, else of 28 days, else the profile's."""
    candidates: tuple[tuple[float | None, WeightSource], ...] = (
        (recent, "wellness_recent"),
        (extended, "wellness_extended"),
        (profile, "athlete_profile"),
    )
    for value, source in candidates:
        if value is not None and value > 0:
            return value, source
    return None, None


def has_any_family(families: Mapping[str, FamilySustainability]) -> bool:
    return any(block.observed_anchors > 0 for block in families.values())


class SustainabilityProfile(MetricModel):
    window: SustainabilityWindow
    weight_kg: float | None
    weight_source: WeightSource | None
    cycling: CyclingSustainability | None = _omitted_when_none()
    ski: FamilySustainability | None = _omitted_when_none()
    rowing: FamilySustainability | None = _omitted_when_none()
    note: str | None = _omitted_when_none()


def sustainability_profile(
    window: tuple[date, date],
    families: Mapping[str, FamilyInputs],
    weight: tuple[float | None, WeightSource | None],
    *,
    is_indoor: Callable[[str], bool | None],
    cycling: CyclingModel | None,
) -> SustainabilityProfile:
    """The profile over ``window`` for the given families (cycling, ski, rowing)."""
    weight_kg, weight_source = weight
    blocks: dict[str, FamilySustainability] = {
        family: family_profile(
            family,
            inputs,
            weight_kg,
            is_indoor=is_indoor,
            cycling=cycling if family == "cycling" else None,
        )
        for family, inputs in families.items()
        if family in FAMILY_ANCHORS
    }
    return SustainabilityProfile(
        window=SustainabilityWindow(start=window[0], end=window[1]),
        weight_kg=None if weight_kg is None else round(weight_kg, 1),
        weight_source=weight_source,
        cycling=_cycling_block(blocks.get("cycling")),
        ski=blocks.get("ski"),
        rowing=blocks.get("rowing"),
        note=None if has_any_family(blocks) else NOTHING_NOTE,
    )


def _cycling_block(block: FamilySustainability | None) -> CyclingSustainability | None:
    return block if isinstance(block, CyclingSustainability) else None
