"""Store tax rate → Odoo tax, per store and per price mode.

The store's rate ids are what every order line names (``taxes[].id``); the
link says which ``account.tax`` Odoo writes for it. A rate has one Odoo tax
per price mode: price-included when the store's prices include tax,
price-excluded otherwise (:mod:`..wc_connector.rules.taxes`). A store that
switches its setting keeps its old orders' taxes and gets the other mode's
tax for the same rate.

The Odoo taxes must be ones an accountant can file: a rate of the company's
own country (or of every country) uses the company's existing sale tax of the
same percent and price mode when there is one; a tax the connector creates
posts like the company's existing sale tax of the same kind — the same tax
accounts, and for a rate of the company's own country the same tax-report
tags. A foreign rate (OSS) gets the accounts but not the domestic report's
tags, which would declare foreign VAT as domestic.
"""

from decimal import Decimal

from odoo import Command, api, fields, models

from ..wc_connector.rules.taxes import TaxSpec, tax_specs
from .compat import Constraint


class WcTaxLink(models.Model):
    _name = "wc.tax.link"
    _inherit = ["wc.binding"]
    _wc_id_field = "wc_rate_id"
    _wc_record_field = "tax_id"
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
        company = store.company_id
        Tax = self.env["account.tax"].with_company(company)
        names = [self._wc_tax_name(spec) for spec in specs]
        # The company's sale taxes, once: reused by name, by rate and price mode, and as templates to post like.
        sale_taxes = Tax.search(
            [("company_id", "=", company.id), ("type_tax_use", "=", "sale"), ("amount_type", "=", "percent")]
        )
        existing = {(tax.name, tax.price_include): tax for tax in sale_taxes}
        default = company.account_sale_tax_id
        by_rate = {}
        for tax in sorted(sale_taxes, key=lambda tax: (tax != default, tax.sequence, tax.id)):
            by_rate.setdefault((Decimal(repr(tax.amount)), tax.price_include), tax)
        home = (company.account_fiscal_country_id.code or "").upper()
        group = self._wc_tax_group(store)
        to_create, link_vals = [], []
        for spec, name in zip(specs, names):
            tax = existing.get((name, spec.price_include))
            if not (tax and Decimal(repr(tax.amount)) == spec.amount) and spec.country in ("", home):
                tax = by_rate.get((spec.amount, spec.price_include))
            if tax and Decimal(repr(tax.amount)) == spec.amount:
                link_vals.append((spec, tax.id))
                continue
            to_create.append((spec, name))
        if to_create:
            vals_list = []
            for spec, name in to_create:
                template = self._wc_template_tax(sale_taxes, default, spec)
                # A template of the same percent also gives its tax group (its label and tax closing accounts).
                same_rate = template and Decimal(repr(template.amount)) == spec.amount
                vals_list.append(
                    {
                        "name": name,
                        "amount": float(spec.amount),
                        "amount_type": "percent",
                        "type_tax_use": "sale",
                        "price_include_override": "tax_included" if spec.price_include else "tax_excluded",
                        "company_id": company.id,
                        "tax_group_id": (template.tax_group_id if same_rate else group).id,
                        "description": spec.store_name,
                        **self._wc_repartition(template, tags=spec.country in ("", home)),
                    }
                )
            taxes = Tax.create(vals_list)
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
    def _wc_template_tax(self, sale_taxes, default, spec):
        """The company's sale tax a new tax for ``spec`` posts like, among those that post to a tax account:
        one of the same percent (its report grids are that rate's), else the company's default sale tax, else
        one of the same price mode, else any."""
        posting = sale_taxes.filtered(
            lambda tax: tax.invoice_repartition_line_ids.filtered(lambda line: line.repartition_type == "tax").account_id
        )
        return posting.sorted(
            lambda tax: (
                Decimal(repr(tax.amount)) != spec.amount,
                tax != default,
                tax.price_include != spec.price_include,
                tax.sequence,
                tax.id,
            )
        )[:1]

    @api.model
    def _wc_repartition(self, template, tags):
        """``account.tax`` values giving a new tax ``template``'s repartition: its accounts and, when ``tags``,
        its tax-report tags. No template: Odoo's default repartition (no account)."""
        if not template:
            return {}
        values = {}
        for field_name, document_type in (("invoice_repartition_line_ids", "invoice"), ("refund_repartition_line_ids", "refund")):
            values[field_name] = [
                Command.create(
                    {
                        "document_type": document_type,
                        "repartition_type": line.repartition_type,
                        "factor_percent": line.factor_percent,
                        "account_id": line.account_id.id,
                        "use_in_tax_closing": line.use_in_tax_closing,
                        "sequence": line.sequence,
                        "tag_ids": [Command.set(line.tag_ids.ids if tags else [])],
                    }
                )
                for line in template[field_name]
            ]
        return values

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
