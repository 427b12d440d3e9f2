"""Store orders earn loyalty points (the optional bridge to Odoo's ``loyalty`` module).

A store may link its customer club to a loyalty programme; a club member's
confirmed store order then earns points on their card, once per order. The
points follow the programme's rules the way Odoo's own sale orders earn
them: per order, per unit, or per currency unit spent, for orders of at
least the rule's minimum amount and quantity.
"""

from dataclasses import dataclass
from decimal import Decimal

PER_ORDER = "order"
PER_MONEY = "money"
PER_UNIT = "unit"
MODES = (PER_ORDER, PER_MONEY, PER_UNIT)


@dataclass(frozen=True)
class EarningRule:
    """One rule of the programme: ``points`` per order, per currency unit or per unit bought."""

    mode: str = PER_ORDER
    points: Decimal = Decimal(1)
    minimum_amount: Decimal = Decimal(0)
    minimum_quantity: Decimal = Decimal(0)

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"a loyalty rule earns per {', '.join(MODES)}, not {self.mode!r}")


def points_earned(rules, amount, quantity):
    """The points an order of ``amount`` (with tax) and ``quantity`` units earns under ``rules`` (all that apply)."""
    amount, quantity = Decimal(str(amount)), Decimal(str(quantity))
    total = Decimal(0)
    for rule in rules:
        if amount < rule.minimum_amount or quantity < rule.minimum_quantity:
            continue
        base = {PER_ORDER: Decimal(1), PER_MONEY: amount, PER_UNIT: quantity}[rule.mode]
        total += Decimal(str(rule.points)) * base
    return total.quantize(Decimal("0.01"))
