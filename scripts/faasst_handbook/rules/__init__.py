"""Content rules over the assembled Handbook, in one registry (registry.py).

Each module holds the rules of one area; importing this package registers them all."""

from . import consistency, redirects, site, structure, translation, writing  # noqa: F401  (registration)
from .registry import RULES, Check, Rule, iter_rules, rule, run_rules

__all__ = ["RULES", "Check", "Rule", "iter_rules", "rule", "run_rules"]
