"""Fixed explanations written next to the zone and load metrics of latest.json.

AI prompts written for the reference output read these notes to interpret the numbers.
"""

from __future__ import annotations

GREY_ZONE_NOTE = "Grey zone % (Z3, tempo) of the 7-day zone time - minimize in polarized training"
QUALITY_INTENSITY_NOTE = (
    "Quality intensity % (Z4+, threshold and above) of the 7-day zone time - target ~20% in "
    "polarized training"
)
EASY_TIME_RATIO_NOTE = (
    "Easy time (Z1+Z2) / total zone time over 7 days - target ~0.80 in polarized training"
)
HARD_DAYS_NOTE = (
    "Hard days of the current calendar week (from week_start). Power: z3+ >= 30min, z4+ >= "
    "10min, z5+ >= 5min, z6+ >= 2min or z7 >= 1min. HR (activities with HR zones only): z4+ "
    ">= 10min or z5+ >= 5min. Power and HR seconds are never added. Per Seiler's 3-zone "
    "model and Foster. Null when no day of the week had zone data."
)
STRESS_TOLERANCE_NOTE = (
    "(strain / monotony) / 100 = 7-day load / 100: < 3 low buffer, 3-6 sustainable, > 6 "
    "high capacity to absorb load"
)
LOAD_RECOVERY_RATIO_NOTE = (
    "7-day load / (Recovery Index x 100): >= 2.5 load is outpacing recovery. Secondary to "
    "the Recovery Index; null without a Recovery Index"
)

CAPABILITY_METRICS_NOTE = (
    "derived_metrics.capability shows HOW the athlete expresses fitness: durability "
    "(decoupling of long steady rides), efficiency_factor (power per heartbeat on steady "
    "rides), hrrc (HR recovery, display only), tid_comparison (7d vs 28d intensity "
    "distribution drift), power_curve_delta and hr_curve_delta (best efforts, last 28 days "
    "vs the 28 before), sustainability_profile (best 1 min - 2 h efforts of 42 days per "
    "sport against the Coggan and CP/W' models; model_divergence_pct is the coaching "
    "signal) and dfa_a1_profile (AlphaHRV). Each block's note gives its rules. Trend "
    "direction matters more than absolute values. A null failed its gate: the "
    "qualifying_sessions_* / valid_anchors_* / coverage_ratio fields next to it say why - "
    "never read a null as 0."
)
