"""The base of every scenario model: immutable, unknown keys refused, its own rules checked.

The schema's parts (:mod:`sim.scenario.schema`) and the distributions
(:mod:`sim.scenario.distributions`) share it, so each runs the whole-object
check of its rules class (:mod:`sim.scenario.rules`) the same way.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


class Frozen(BaseModel):
    """Base for every schema model: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    @model_validator(mode="after")
    def _consistent(self) -> Frozen:
        # The whole-object check of the part's rules (sim.scenario.rules), if it has one.
        check = getattr(self, "problem", None)
        problem = check() if check is not None else None
        if problem is not None:
            raise ValueError(problem)
        return self

    def given_fields(self) -> list[str]:
        """The fields the file gave, in the order the model declares them."""
        return [name for name in type(self).model_fields if name in self.model_fields_set]

    def field_default(self, name: str) -> Any:
        """What a field holds when the file leaves it out."""
        return type(self).model_fields[name].get_default(call_default_factory=True)
