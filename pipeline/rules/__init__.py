"""Rule packs (config/channels/*.toml) and the engine that finds promotion with them."""

from pipeline.rules.engine import Span, find_promotions, token_items
from pipeline.rules.pack import KINDS, WHERE, Pack, Rule, RuleSet, load_rules

__all__ = [
    "KINDS",
    "WHERE",
    "Pack",
    "Rule",
    "RuleSet",
    "Span",
    "find_promotions",
    "load_rules",
    "token_items",
]
