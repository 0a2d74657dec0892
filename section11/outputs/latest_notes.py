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
    "Days of the current calendar week (from week_start) that were hard. Power ladder: "
    "z3+ >= 30min, z4+ >= 10min, z5+ >= 5min, z6+ >= 2min, z7 >= 1min. HR ladder (for "
    "activities with HR zones only): z4+ >= 10min, z5+ >= 5min. Power and HR seconds are "
    "never added together. Per Seiler's 3-zone model and Foster. Null when no day of the week "
    "had zone data."
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
    "derived_metrics.capability shows HOW the athlete expresses fitness, next to the load "
    "metrics: durability (aerobic decoupling of long steady rides, 7d vs 28d), "
    "efficiency_factor (power per heartbeat on steady rides), hrrc (heart-rate recovery, "
    "display only, higher is better), tid_comparison (7d vs 28d intensity distribution "
    "drift), power_curve_delta and hr_curve_delta (best efforts at anchor durations, last "
    "28 days vs the 28 before; rotation_index > 0 = gains biased to short efforts), "
    "sustainability_profile (what was held for 1 min - 2 h in 42 days per sport, with the "
    "Coggan and CP/W' model predictions for cycling; model_divergence_pct is the coaching "
    "signal; indoor best efforts run 3-5% below outdoor, see 'source') and dfa_a1_profile "
    "(DFA a1 from AlphaHRV, see its own fields). Trend direction matters more than absolute "
    "values. A null value failed its gate (too few sessions or anchors): the "
    "qualifying_sessions_* / valid_anchors_* / coverage_ratio fields next to it say why - "
    "never read a null as 0. Rising max sustained HR is ambiguous (fitness or fatigue/heat): "
    "cross-check resting HRV/HR and RPE."
)
