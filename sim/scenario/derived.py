"""Derived issues: an issue whose position is a declared function of other issues' positions.

A derived issue (``depends_on: {issue: weight, ...}``) is never offered: its
position is the weighted mean of the positions of the issues it depends on,
each taken as a share of its own scale, mapped onto the derived issue's scale
(model section 7.36). Breakout time as a function of centrifuges and stockpile
is the example. This module holds that function, shared by the engine and the
analysis, and the scenario checks that refuse what the engine could not play,
as ``path: what is wrong (allowed: ...)``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.scenario.schema import Issue, Scenario

COMPLETING_PROTOCOLS = ("alternating_offers", "mediated", "shuttle")
"""Protocols that complete packages with derived issues (the others judge issues one by one)."""

STATUS_QUO_TOLERANCE = 1e-6
"""How far a declared status quo may sit from the one its definition gives."""


def linear_form(
    issues: Mapping[str, Issue], issue_id: str
) -> tuple[float, tuple[tuple[str, float], ...]]:
    """The derived issue as ``base + Σ coefficient · position`` over the issues it depends on.

    ``x_d = L_d + (H_d − L_d) · Σ_j w_j · (x_j − L_j) / (H_j − L_j) / Σ_j w_j``, so each
    coefficient is ``(H_d − L_d) · w_j / (Σ w · (H_j − L_j))`` and the base collects the rest.
    """
    spec = issues[issue_id]
    low, high = spec.scale
    total = sum(spec.depends_on.values())
    base = low
    terms = []
    for dep, weight in spec.depends_on.items():
        dep_low, dep_high = issues[dep].scale
        coefficient = (high - low) * weight / (total * (dep_high - dep_low))
        base -= coefficient * dep_low
        terms.append((dep, coefficient))
    return base, tuple(terms)


def mean_position(
    scale: Sequence[float], parts: Iterable[tuple[float, float, Sequence[float]]]
) -> float:
    """``L + (H − L) · Σ w · (x − L_j)/(H_j − L_j) / Σ w`` over ``(w, x, (L_j, H_j))``, clipped."""
    low, high = scale
    total = share = 0.0
    for weight, position, (dep_low, dep_high) in parts:
        total += weight
        share += weight * (position - dep_low) / (dep_high - dep_low)
    return min(max(low + (high - low) * share / total, low), high)


def derived_position(
    issues: Mapping[str, Issue], issue_id: str, positions: Mapping[str, float]
) -> float:
    """The derived issue's position for these positions of the issues it depends on (clipped)."""
    spec = issues[issue_id]
    return mean_position(
        spec.scale, ((w, positions[d], issues[d].scale) for d, w in spec.depends_on.items())
    )


def follow_status_quos(data: dict[str, Any], kept: Iterable[str]) -> None:
    """Set each derived issue's status quo (in plain scenario data) from its dependencies'.

    Used after overrides: a changed status quo of an issue a derived one depends
    on carries through to it, unless the override set the derived issue's own
    status quo (a path in ``kept``), which validation then checks. Data that is
    not well formed is left for validation to report.
    """
    issues = data.get("issues")
    if not isinstance(issues, dict):
        return
    kept = set(kept)
    for issue_id, spec in issues.items():
        if not isinstance(spec, dict) or not spec.get("depends_on"):
            continue
        if f"issues.{issue_id}.status_quo" in kept:
            continue
        try:
            spec["status_quo"] = mean_position(
                spec.get("scale", (0.0, 100.0)),
                [
                    (w, issues[d]["status_quo"], issues[d].get("scale", (0.0, 100.0)))
                    for d, w in spec["depends_on"].items()
                ],
            )
        except (KeyError, TypeError, ValueError, ZeroDivisionError, AttributeError):
            continue


def derived_errors(scenario: Scenario) -> list[str]:
    """Every derived-issue declaration the engine could not play, as located messages."""
    issues = scenario.issues
    derived = [i for i, spec in issues.items() if spec.depends_on]  # scenario order
    plain = [i for i in issues if i not in derived]
    errors: list[str] = []
    for issue_id in derived:
        spec = issues[issue_id]
        path = f"issues.{issue_id}"
        ok = True
        for dep, weight in spec.depends_on.items():
            where = f"{path}.depends_on.{dep}"
            if dep == issue_id:
                errors.append(
                    f"{where}: an issue cannot depend on itself (allowed: {_list(plain)})"
                )
                ok = False
            elif dep not in issues:
                errors.append(f"{where}: unknown issue '{dep}' (allowed: {_list(plain)})")
                ok = False
            elif dep in derived:
                errors.append(
                    f"{where}: '{dep}' is itself derived; a derived issue depends only on "
                    f"issues that are negotiated (allowed: {_list(plain)})"
                )
                ok = False
            if not (math.isfinite(weight) and weight > 0):
                errors.append(f"{where}: weight {weight:g} (allowed: a number > 0)")
                ok = False
        if not spec.divisible:
            errors.append(
                f"{path}.divisible: a derived issue is never offered, so only its dependencies' "
                "points matter (allowed: true, the default)"
            )
        for name, default in (("ceasefire", False), ("detection", 1.0), ("verified_by", None)):
            if getattr(spec, name) != default:
                errors.append(
                    f"{path}.{name}: a derived issue is never agreed or breached on its own, "
                    "only through the issues it depends on (allowed: set it on those issues)"
                )
        if ok:
            expected = derived_position(
                issues, issue_id, {d: issues[d].status_quo for d in spec.depends_on}
            )
            if abs(spec.status_quo - expected) > STATUS_QUO_TOLERANCE:
                errors.append(
                    f"{path}.status_quo: {spec.status_quo:g} disagrees with its depends_on "
                    f"(allowed: {expected:.6g}, the weighted mean of their status quos)"
                )
    feeds = {
        dep: issue_id
        for issue_id in derived
        for dep in issues[issue_id].depends_on
        if dep in issues
    }
    for index, round_ in enumerate(scenario.rounds):
        for j, issue_id in enumerate(round_.agenda):
            if issue_id in derived:
                errors.append(
                    f"rounds.{index}.agenda.{j}: '{issue_id}' is derived: nobody offers it, it is "
                    "judged wherever an issue it depends on is on the agenda (allowed: "
                    f"{_list(issues[issue_id].depends_on)})"
                )
            elif issue_id in feeds and round_.protocol not in COMPLETING_PROTOCOLS:
                errors.append(
                    f"rounds.{index}.protocol: {round_.protocol} judges issues one by one, and "
                    f"agenda issue '{issue_id}' feeds derived issue '{feeds[issue_id]}' "
                    f"(allowed: {_list(COMPLETING_PROTOCOLS)})"
                )
    return errors


def _list(names: object) -> str:
    return ", ".join(names) or "none defined"  # type: ignore[call-overload]
