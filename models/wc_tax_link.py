"""Store tax rate → Odoo tax, per store and per price mode.

The store's rate ids are what every order line names (``taxes[].id``); the
link says which ``account.tax`` Odoo writes for it. A rate has one Odoo tax
per price mode: price-included when the store's prices include tax,
price-excluded otherwise (:mod:`..wc_connector.rules.taxes`). A store that
switches its setting keeps its old orders' taxes and gets the other mode's
tax for the same rate.
"""

from decimal import Decimal

from odoo import api, fields, models

from .compat import Constraint
from ..wc_connector.rules.taxes import TaxSpec, tax_specs


class WcTaxLink(models.Model):
    _name = "wc.tax.link"
    _description = "WooCommerce Tax Rate Mapping"
    _order = "store_id, wc_rate_id, price_include"
    _rec_name = "name"

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    wc_rate_id = fields.Integer(string="Store rate ID", required=True)
    name = fields.Char(string="Store rate", required=True)
    country_code = fields.Char(string="Country")
    price_include = fields.Boolean(string="Prices include tax")
    tax_id = fields.Many2one(
        "account.tax",
        string="Odoo tax",
        required=True,
        ondelete="cascade",
        check_company=True,
        domain="[('type_tax_use', '=', 'sale')]",
    )

    _rate_mode_unique = Constraint(
        "UNIQUE(store_id, wc_rate_id, price_include)",
        "A store tax rate is mapped to one Odoo tax per price mode.",
    )

    @api.model
    def _wc_spec(self, link):
        """The :class:`TaxSpec` of the Odoo tax actually linked (what Odoo will compute with)."""
        tax = link.tax_id
        return TaxSpec(
            rate_id=link.wc_rate_id,
            store_name=link.name,
            amount=Decimal(repr(tax.amount)).normalize(),
            price_include=tax.price_include,
            country=link.country_code or "",
        )

    @api.model
    def _wc_tax_maps(self, store, modes):
        """``{price_include: ({rate_id: TaxSpec}, {rate_id: tax id})}`` for the price ``modes`` asked.

        One query for the store's links. A rate linked only in the other mode
        gets its sibling tax now (same percent, the asked mode): the store
        switched its "prices include tax" setting, the rate itself is known.
        """
        links = self.search([("store_id", "=", store.id)])
        by_mode = {True: {}, False: {}}
        for link in links:
            by_mode[link.price_include][link.wc_rate_id] = link
        for mode in modes:
            missing = [link for rate, link in by_mode[not mode].items() if rate not in by_mode[mode]]
            if missing:
                specs = [
                    TaxSpec(
                        rate_id=link.wc_rate_id,
                        store_name=link.name,
                        amount=Decimal(repr(link.tax_id.amount)).normalize(),
                        price_include=mode,
                        country=link.country_code or "",
                    )
                    for link in missing
                ]
                for link in self._wc_link_specs(store, specs):
                    by_mode[mode][link.wc_rate_id] = link
        return {
            mode: (
                {rate: self._wc_spec(link) for rate, link in by_mode[mode].items()},
                {rate: link.tax_id.id for rate, link in by_mode[mode].items()},
            )
            for mode in modes
        }

    @api.model
    def _wc_setup_taxes(self, store, rates, prices_include_tax):
        """Link every store rate (objects of ``GET /taxes``) to an Odoo tax; create the missing taxes.

        Idempotent: linked rates are left alone; an Odoo tax with the same
        name, percent and price mode in the store's company is reused.
        Returns the links created.
        """
        specs = tax_specs(rates, prices_include_tax)
        linked = set(
            self.search([("store_id", "=", store.id), ("price_include", "=", bool(prices_include_tax))]).mapped(
                "wc_rate_id"
            )
        )
        return self._wc_link_specs(store, [spec for rate, spec in specs.items() if rate not in linked])

    @api.model
    def _wc_link_specs(self, store, specs):
        if not specs:
            return self.browse()
        Tax = self.env["account.tax"].with_company(store.company_id)
        names = [self._wc_tax_name(spec) for spec in specs]
        existing = {
            (tax.name, tax.price_include): tax
            for tax in Tax.search(
                [
                    ("company_id", "=", store.company_id.id),
                    ("type_tax_use", "=", "sale"),
                    ("amount_type", "=", "percent"),
                    ("name", "in", names),
                ]
            )
        }
        group = self._wc_tax_group(store)
        to_create, link_vals = [], []
        for spec, name in zip(specs, names):
            tax = existing.get((name, spec.price_include))
            if tax and Decimal(repr(tax.amount)) == spec.amount:
                link_vals.append((spec, tax.id))
                continue
            to_create.append((spec, name))
        if to_create:
            taxes = Tax.create(
                [
                    {
                        "name": name,
                        "amount": float(spec.amount),
                        "amount_type": "percent",
                        "type_tax_use": "sale",
                        "price_include_override": "tax_included" if spec.price_include else "tax_excluded",
                        "company_id": store.company_id.id,
                        "tax_group_id": group.id,
                        "description": spec.store_name,
                    }
                    for spec, name in to_create
                ]
            )
            link_vals += [(spec, tax.id) for (spec, _name), tax in zip(to_create, taxes)]
        return self.create(
            [
                {
                    "store_id": store.id,
                    "wc_rate_id": spec.rate_id,
                    "name": spec.store_name,
                    "country_code": spec.country,
                    "price_include": spec.price_include,
                    "tax_id": tax_id,
                }
                for spec, tax_id in link_vals
            ]
        )

    @api.model
    def _wc_tax_name(self, spec):
        """``MwSt. 19% (DE)``; price-included taxes say so, both modes may live side by side."""
        return f"{spec.name} incl." if spec.price_include else spec.name

    @api.model
    def _wc_tax_group(self, store):
        company = store.company_id
        Group = self.env["account.tax.group"]
        group = Group.search(
            [*Group._check_company_domain(company), ("country_id", "in", (company.account_fiscal_country_id.id, False))],
            limit=1,
        )
        return group or Group.create({"name": "Online shop taxes", "company_id": company.id})
