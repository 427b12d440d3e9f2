"""The dry run: what importing a set of store orders would change, decided by the import's own planners.

:func:`preview` takes what the Odoo side found (existing sale orders, the
customer directory, the tax map, the status settings) and runs the same
decisions the import runs — :func:`.customers.plan_customers`,
:func:`.lines.plan_lines`, :func:`.statuses.status_action` and
:func:`.statuses.transition` — without applying any of them. Nothing here can
write: it returns plain data the user reads before pressing *Sync now*.
"""

from dataclasses import dataclass

from .customers import NewPartner, identity_rule, plan_customers
from .identity import IdentityKey
from .lines import plan_lines
from .statuses import status_action, transition

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
FAIL = "fail"
MATCH = "match"


@dataclass(frozen=True)
class ExistingOrder:
    """A sale order the store order already has: its name, the store date last applied, where it is."""

    name: str
    date_modified: object = None
    state: object = None


@dataclass(frozen=True)
class OrderPreview:
    """What the import would do with one store order.

    ``action``: create, update, unchanged (the payload is not newer than the
    one applied) or fail (``reason``); ``steps`` the status steps
    (:mod:`.statuses`), ``refused`` a status change the workflow would refuse;
    ``customer`` the partner action (create / match / update) and ``rule`` the
    identity rule that decided it.
    """

    wc_id: int
    number: str
    status: str
    action: str
    total: object
    odoo_total: object = None
    target: str = ""
    steps: tuple = ()
    refused: str = ""
    customer: str = ""
    customer_name: str = ""
    rule: str = ""
    sale_name: str = ""
    reason: str = ""


@dataclass(frozen=True)
class PartnerPreview:
    """A partner the import would create, match or update, the order that brings it, and the rule used."""

    action: str
    name: str
    rule: str
    wc_order_id: int
    partner_id: int | None = None


@dataclass(frozen=True)
class DryRun:
    """Every order's preview and every partner decision of the orders previewed."""

    orders: tuple
    partners: tuple

    def count(self, action):
        """How many orders would get ``action``."""
        return sum(1 for order in self.orders if order.action == action)


def preview(orders, existing, directory, key=IdentityKey.EMAIL, *, update_existing=False, tax_map=None,
            price_digits=2, status_settings=None, failures=None):
    """Preview the import of parsed ``orders``.

    ``existing``: ``{wc order id: ExistingOrder}``; ``directory``: the
    customer :class:`~.customers.Directory` for the orders' keys; ``tax_map``:
    ``{price_include: {rate id: TaxSpec}}`` as the import builds it;
    ``failures``: ``{wc id: reason}`` of orders that could not even be parsed
    (shown as failing). Returns a :class:`DryRun`.
    """
    tax_map = tax_map or {}
    newest = {}
    for order in orders:
        kept = newest.get(order.id)
        if not kept or _moment(order) > _moment(kept):
            newest[order.id] = order
    todo, previews = [], []
    for order in newest.values():
        sale = existing.get(order.id)
        if sale and sale.date_modified and (not order.date_modified or order.date_modified <= sale.date_modified):
            previews.append(OrderPreview(order.id, order.number, order.status, UNCHANGED, order.total,
                                         sale_name=sale.name))
            continue
        todo.append(order)
    plan = plan_customers(todo, directory, key, update_existing=update_existing) if todo else None
    updated = {update.partner_id for update in plan.updates} if plan else set()
    created_names = {create.ref: create.values.get("name", "") for create in plan.creates} if plan else {}
    partners = []
    for order in todo:
        sale = existing.get(order.id)
        assignment = plan.for_order(order.id)
        rule = identity_rule(order, directory, key)
        if isinstance(assignment.contact, NewPartner):
            customer, name, partner_id = CREATE, created_names.get(assignment.contact, ""), None
        else:
            customer = UPDATE if {assignment.contact, assignment.customer} & updated else MATCH
            name, partner_id = _partner_name(directory, assignment.contact), assignment.contact
        partners.append(PartnerPreview(customer, name, rule, order.id, partner_id))
        action = status_action(order.status, status_settings)
        steps = transition(action, sale.state if sale else None)
        lines = plan_lines(order, tax_map.get(order.prices_include_tax, {}), price_digits)
        blocking = "; ".join(dict.fromkeys(problem.message for problem in lines.problems if problem.blocking))
        previews.append(OrderPreview(
            wc_id=order.id,
            number=order.number,
            status=order.status,
            action=FAIL if blocking else (UPDATE if sale else CREATE),
            total=order.total,
            odoo_total=lines.odoo.amount_total,
            target=action.target,
            steps=steps.steps,
            refused=steps.refused,
            customer=customer,
            customer_name=name,
            rule=rule,
            sale_name=sale.name if sale else "",
            reason=blocking or action.note,
        ))
    for wc_id, reason in (failures or {}).items():
        previews.append(OrderPreview(wc_id, str(wc_id), "", FAIL, None, reason=reason))
    previews.sort(key=lambda item: item.wc_id)
    return DryRun(orders=tuple(previews), partners=tuple(partners))


def _moment(order):
    return order.date_modified or order.date_created


def _partner_name(directory, partner_id):
    for partner in directory.partners:
        if partner.id == partner_id:
            return partner.name
    return ""
