"""Store customers become Odoo partners: the Odoo side of ``wc_connector.rules.customers``.

The rules decide (existing or new partner, company and contact person,
addresses, links, club); this file only gathers their input and applies their
output, in bulk for a page of records:

1. look the page's keys up in a few queries (:func:`directory_query` says
   which) and hand what was found to :func:`plan_customers` as a
   :class:`Directory`,
2. when the plan writes anything (:func:`plan_writes`), lock the page's
   identity keys (so that a webhook and a cron run importing the same new
   customer cannot both create it); a plan that only finds partners locks
   nothing, so parallel page jobs whose buyers the run's reader resolved
   never wait for each other,
3. apply the plan: create partners in batches (parents first), write updates
   when the store is master for customer data, add store links and club tags.

A page costs the same number of lookup queries whatever its size. A customer
import first drops the records its store links say were applied already (same
or newer ``date_modified``), so an unchanged page (the weekly full reconcile)
costs a few queries and takes no locks.
"""

import dataclasses
import logging

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from ..wc_connector.errors import PayloadError
from ..wc_connector.payloads import parse_customer
from ..wc_connector.payloads.dates import is_newer, to_naive
from ..wc_connector.rules.customers import (
    CustomerAssignment,
    Directory,
    KnownPartner,
    NewPartner,
    customer_change,
    directory_query,
    plan_customers,
    plan_writes,
)
from ..wc_connector.rules.identity import IdentityKey, company_name_key
from .wc_error_text import error_text
from .wc_import_lock import advisory_lock_key

_logger = logging.getLogger(__name__)

#: The partner fields :class:`KnownPartner` carries over from ``res.partner`` as they are
#: (``mobile`` only where it exists: Odoo 19 removed it, so identity by phone never needs it).
_KNOWN_FIELDS = ("name", "email", "phone", "mobile", "vat", "is_company", "type", "street", "street2", "city", "zip",
                 "company_name")

#: Context key: the buyers of these orders were resolved by the run's reader (``wc_store_sync``); write no updates.
BUYERS_PREPARED = "wc_buyers_prepared"

#: How many trailing digits of a phone number are compared in SQL; the rules then compare the full keys.
_PHONE_TAIL = 7


class WcStore(models.Model):
    _inherit = "wc.store"

    customer_identity_key = fields.Selection(
        [(key.value, label) for key, label in (
            (IdentityKey.EMAIL, "Email"), (IdentityKey.PHONE, "Phone"), (IdentityKey.USERNAME, "Store username"))],
        string="Identify Customers By",
        default=IdentityKey.EMAIL.value,
        required=True,
        help="What tells that a store buyer is a partner Odoo already has. Buyers without it "
        "(e.g. guests when identifying by username) are found by their email, then by name and address.",
    )
    customer_master = fields.Selection(
        [("store", "Store: update existing partners"), ("odoo", "Odoo: only create new partners")],
        string="Master for Customer Data",
        default="odoo",
        required=True,
        help="Store: names, emails, phones and addresses from the store overwrite the partner's "
        "(never with empty values). Odoo: existing partners are left as they are; new buyers are created.",
    )
    customer_club_tag_id = fields.Many2one(
        "res.partner.category",
        string="Customer Club Tag",
        copy=False,
        ondelete="set null",
        help="Registered store customers (not guests) get this tag.",
    )
    customer_portal_access = fields.Boolean(
        string="Portal Access for Club Members",
        help="Give registered store customers access to the Odoo customer portal (they receive an invitation email).",
    )
    customer_link_ids = fields.One2many("wc.customer.link", "store_id", string="Customer Links")
    customer_link_count = fields.Integer(compute="_compute_customer_link_count", string="Linked Customers")

    @api.depends("customer_link_ids")
    def _compute_customer_link_count(self):
        counts = dict(self.env["wc.customer.link"]._read_group(
            [("store_id", "in", self.ids)], ["store_id"], ["__count"]))
        for store in self:
            store.customer_link_count = counts.get(store, 0)

    def _create_customer_club_tags(self):
        """Give each store its customer club: a partner tag "<store> customer club"."""
        # Tags belong to partner managers; a WooCommerce manager connecting a store may not be one.
        tags = self.env["res.partner.category"].sudo().create(
            [{"name": self.env._("%s customer club", store.name)} for store in self])
        for store, tag in zip(self, tags):
            store.customer_club_tag_id = tag

    def action_view_customer_links(self):
        """The partners linked to this store's customer accounts."""
        self.ensure_one()
        # Not inline: Odoo 19's exporter takes the domain tuple after an inline _() for a term (its field name).
        name = self.env._("Store customers")
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("id", "in", self.customer_link_ids.partner_id.ids)],
        }

    # -- the public entry points --------------------------------------------------------------

    def _wc_resolve_customers(self, records):
        """Find or create the partners of a page of parsed orders and/or customers.

        ``records``: :class:`~..wc_connector.payloads.Order` and
        :class:`~..wc_connector.payloads.Customer` objects of this store.
        Applies the customer rules (see :mod:`..wc_connector.rules.customers`)
        and returns ``{("order" | "customer", wc id): {"partner_id",
        "partner_invoice_id", "partner_shipping_id"}}`` with partner ids, ready
        to write on a sale order. Takes a transaction-level lock per identity
        key; raises ``psycopg2.errors.LockNotAvailable`` (retried by Odoo and
        queue_job) when another transaction is resolving the same keys.
        """
        plan, partner_of = self._wc_apply_customer_plan(records)
        return {
            (assignment.record_type, assignment.record_id): {
                name: partner_of(ref) for name, ref in assignment.order_values().items()
            }
            for assignment in plan.assignments
        }

    def _wc_import_customers(self, customer_dicts):
        """Import a page of the store's ``/customers`` answer (or ``customer.*`` webhook bodies).

        Returns ``{"created": n, "updated": n, "unchanged": n, "failed": n}``,
        counting store customers by their person partner. Like the order
        import, a record not newer than the one last applied (its link's
        ``wc_date_modified``) is skipped before any lock or lookup and counted
        unchanged. It keeps the sync log: a record that cannot be parsed gets an
        entry with its reason and payload (the rest of the page is imported),
        and the open entries of the customers imported now are done.
        """
        self.ensure_one()
        customers, failures = [], []
        for data in customer_dicts:
            try:
                customers.append(parse_customer(data))
            except PayloadError as error:
                record_id = data.get("id") if isinstance(data, dict) else None
                failures.append((record_id, error_text(self.env, error), data))
        counts = {"created": 0, "updated": 0, "unchanged": 0, "failed": len(failures)}
        self._wc_log_failures("customer", failures)
        if not customers:
            return counts
        fresh = self._wc_customers_not_applied(customers)
        counts["unchanged"] += len(customers) - len(fresh)
        if fresh:
            plan, _partner_of = self._wc_apply_customer_plan(fresh)
            updated = {update.partner_id for update in plan.updates}
            for assignment in plan.assignments:
                if isinstance(assignment.contact, NewPartner):
                    counts["created"] += 1
                elif {assignment.contact, assignment.customer} & updated:
                    counts["updated"] += 1
                else:
                    counts["unchanged"] += 1
            self._wc_mark_customers_applied(fresh)
        # The skipped ones are in Odoo as the store has them: their open entries are done too.
        self.env["wc.sync.log"]._wc_resolve(self, "customer", [customer.id for customer in customers])
        return counts

    def _wc_customers_not_applied(self, customers):
        """The parsed customers newer than what their store link says was applied (one query).

        :func:`..wc_connector.payloads.dates.is_newer` decides: a customer
        without a link or without an applied ``date_modified`` is applied; one
        not newer (a replayed old ``customer.updated``, an unchanged page) is not.
        """
        applied = {
            link.wc_customer_id: link.wc_date_modified
            for link in self.env["wc.customer.link"]._wc_bound(
                self, [customer.id for customer in customers], ["wc_customer_id", "wc_date_modified"]
            )
        }
        return [customer for customer in customers if is_newer(customer.date_modified, applied.get(customer.id))]

    def _wc_mark_customers_applied(self, customers):
        """Store each applied customer's ``date_modified`` on its link (one UPDATE for the page).

        Only ever moves a link's date forward; links made by order imports
        (no customer record seen yet) get theirs from the next customer import.
        """
        stamps = {}
        for customer in customers:
            if customer.date_modified:
                stamp = to_naive(customer.date_modified)
                stamps[customer.id] = max(stamp, stamps.get(customer.id, stamp))
        if not stamps:
            return
        Link = self.env["wc.customer.link"]
        Link.flush_model(["store_id", "wc_customer_id", "wc_date_modified"])
        self.env.cr.execute(
            """UPDATE wc_customer_link AS link
                  SET wc_date_modified = page.stamp, write_uid = %s, write_date = (now() at time zone 'UTC')
                 FROM unnest(%s::int[], %s::timestamp[]) AS page(wc_customer_id, stamp)
                WHERE link.store_id = %s AND link.wc_customer_id = page.wc_customer_id
                  AND (link.wc_date_modified IS NULL OR link.wc_date_modified < page.stamp)""",
            [self.env.uid, list(stamps), list(stamps.values()), self.id],
        )
        Link.invalidate_model(["wc_date_modified", "write_uid", "write_date"])

    def _wc_apply_customer_change(self, sale_order, assignment_values):
        """Move a sale order already in Odoo to the customer its store order now names (forward rules).

        ``assignment_values``: the order's entry of :meth:`_wc_resolve_customers`.
        Writes the partner, invoice and delivery addresses that differ; when the
        order has posted invoices, leaves them and the order alone and writes
        the change in the order's chatter instead. Returns the values that
        differ (``{}`` when none).
        """
        sale_order.ensure_one()
        partner = self.env["res.partner"].browse(assignment_values["partner_id"])
        assignment = CustomerAssignment(
            record_type="order", record_id=0, customer=partner.commercial_partner_id.id, contact=partner.id,
            invoice=assignment_values["partner_invoice_id"], delivery=assignment_values["partner_shipping_id"],
            is_guest=False,
        )
        change = customer_change(
            assignment, sale_order.partner_id.id, sale_order.partner_invoice_id.id, sale_order.partner_shipping_id.id)
        if change is None:
            return {}
        values = dict(change.values)
        if any(move.state == "posted" for move in sale_order.invoice_ids):
            note = self._wc_customer_change_note(sale_order, values)
            # The order comes again on each of its changes; say it once.
            said = {html2plaintext(message.body) for message in sale_order.message_ids}
            if html2plaintext(note) not in said:
                sale_order.message_post(body=note, subtype_xmlid="mail.mt_note")
        else:
            sale_order.write(values)
        return values

    # -- planning and applying ----------------------------------------------------------------

    def _wc_apply_customer_plan(self, records):
        """Lock, look up, plan and apply; return ``(plan, partner_of)`` where ``partner_of(ref)`` is a partner id."""
        self.ensure_one()
        key = IdentityKey(self.customer_identity_key)
        records = self._wc_without_unknown_states(records)
        query = directory_query(records, key)
        directory = self._wc_customer_directory(query)
        # A run's reader applied the updates of the pages it prepared, in page order: an import job of such a
        # page (maybe running after a later page's preparation) must not write an older record's values back.
        update_existing = self.customer_master == "store" and not self.env.context.get(BUYERS_PREPARED)
        plan = plan_customers(records, directory, key, update_existing=update_existing)
        if plan_writes(plan, directory, portal_access=self.customer_portal_access):
            # Locked after the lookup, which is as safe as before it: the snapshot is the transaction's, and a
            # lock row a transaction this snapshot cannot see has written refuses this one (wc_import_lock.py).
            self._wc_lock_customer_keys(query)
        created = self._wc_create_planned_partners(plan.creates)

        def partner_of(ref):
            return created[ref] if isinstance(ref, NewPartner) else ref

        partners = self.env["res.partner"]
        if plan.updates:
            updated = partners.browse([update.partner_id for update in plan.updates])
            # A changed state alone is still a state of the partner's country.
            values_list = self._wc_partner_values([
                {"country_code": partner.country_id.code, **update.values} if "state_code" in update.values
                else update.values
                for partner, update in zip(updated, plan.updates)
            ])
            for partner, values in zip(updated.with_context(no_vat_validation=True), values_list):
                partner.write(values)
        if plan.links:
            self.env["wc.customer.link"].create([{
                "store_id": self.id, "wc_customer_id": link.wc_customer_id,
                "partner_id": partner_of(link.partner), "username": link.username or False,
            } for link in plan.links])
        members = partners.browse([partner_of(ref) for ref in plan.club_members])
        self._wc_join_customer_club(members)
        return plan, partner_of

    def _wc_without_unknown_states(self, records):
        """The records with the states Odoo does not know left out of their addresses (one query).

        A partner cannot hold a state missing from ``res.country.state`` (Odoo
        has no German states without the German localisation, for one), so its
        addresses would never compare equal to the store's and every import
        would add an address again.
        """
        def state_of(address):
            country, state = address.country.strip().upper(), address.state.strip().upper()
            return country, state[len(country) + 1:] if country and state.startswith(country + "-") else state

        wanted = {state_of(address) for record in records for address in (record.billing, record.shipping)
                  if address.state}
        if not wanted:
            return records
        known = {
            (state.country_id.code, state.code)
            for state in self.env["res.country.state"].search([
                ("code", "in", list({code for _country, code in wanted})),
                ("country_id.code", "in", list({country for country, _code in wanted})),
            ])
        }

        def known_address(address):
            return address if not address.state or state_of(address) in known else dataclasses.replace(address, state="")

        return [
            dataclasses.replace(record, billing=known_address(record.billing), shipping=known_address(record.shipping))
            for record in records
        ]

    def _wc_lock_customer_keys(self, query):
        """Lock the page's identity keys for this transaction, or fail fast with a retryable error.

        Odoo runs transactions in REPEATABLE READ: waiting for another
        transaction's lock would leave this one blind to the partners it
        created. So the locks are only tried; when one is taken, the
        transaction is aborted with PostgreSQL's ``lock_not_available``, which
        Odoo's request handling and queue_job retry in a fresh transaction.
        A lock free again but released by a commit this transaction cannot see
        (it started before) aborts it with a serialization failure, retried the
        same way: see :mod:`.wc_import_lock`.
        """
        keys = [
            advisory_lock_key("wc.customer", self.id, kind, value)
            for kind, values in (
                ("customer", query.wc_customer_ids), ("email", query.emails), ("phone", query.phones),
                ("username", query.usernames), ("vat", query.vats), ("company", query.company_names),
                ("name", query.names),
            )
            for value in values
        ]
        self.env["wc.import.lock"]._wc_take(keys, f"Store {self.id} customers")

    def _wc_customer_directory(self, query):
        """Everything the rules need to know about the page's keys, found in a fixed number of queries."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        links = self.env["wc.customer.link"].search_fetch(
            [("store_id", "=", self.id), "|", ("wc_customer_id", "in", list(query.wc_customer_ids)),
             ("username", "in", list(query.usernames))],
            ["wc_customer_id", "partner_id", "username"],
        ) if (query.wc_customer_ids or query.usernames) else self.env["wc.customer.link"]
        found = Partner.browse(self._wc_partner_ids_for_keys(query)) | links.partner_id
        found |= found.parent_id
        children = Partner.search([("parent_id", "in", found.ids), ("active", "=", True)]) if found else Partner
        everything = found | children
        # The usernames of every partner found (not only the page's), for the username key; and
        # which of them this store links (owns, with those it created).
        usernames = {}
        all_links = self.env["wc.customer.link"]._wc_bound_to(
            self, everything, ["partner_id", "username"]
        ) if everything else links
        for link in all_links:
            if link.username:
                usernames.setdefault(link.partner_id.id, set()).add(link.username)
        owned = set(all_links.partner_id.ids) | set(everything.filtered(
            lambda partner: partner.wc_created_by_store_id == self).ids)
        # Partners of users (internal or portal, archived ones too) in one query: never the store's to rewrite.
        with_users = set(self.env["res.users"].sudo().with_context(active_test=False).search_fetch(
            [("partner_id", "in", everything.ids)], ["partner_id"]).partner_id.ids) if everything else set()
        known_fields = [name for name in _KNOWN_FIELDS if name in Partner._fields]
        club_tag = self.customer_club_tag_id
        known = tuple(
            KnownPartner(
                id=partner.id,
                **{name: partner[name] or (False if name == "is_company" else None) for name in known_fields},
                parent_id=partner.parent_id.id or None,
                state_code=partner.state_id.code or None,
                country_code=partner.country_id.code or None,
                usernames=tuple(sorted(usernames.get(partner.id, ()))),
                has_user=partner.id in with_users,
                owned=partner.id in owned,
                in_club=not club_tag or club_tag in partner.category_id,  # no club: nothing to join
            )
            for partner in everything
        )
        return Directory(partners=known, links={link.wc_customer_id: link.partner_id.id for link in links})

    def _wc_partner_ids_for_keys(self, query):
        """The ids of the active partners of this store's company matching any key of the page (one query)."""
        conditions, params = [], []
        if query.emails:
            conditions.append("p.email_normalized = ANY(%s)")
            params.append(list(query.emails))
        if query.phones:
            # Compare the last digits only: "030 1234567" and "+49 30 1234567" share them; the rules decide.
            tails = [phone[-_PHONE_TAIL:] for phone in query.phones if len(phone.lstrip("+")) >= _PHONE_TAIL]
            phone_fields = [name for name in ("phone", "mobile") if name in self.env["res.partner"]._fields]
            conditions.append(" OR ".join(
                f"right(regexp_replace(coalesce(p.{name}, ''), '\\D', '', 'g'), %s) = ANY(%s)" for name in phone_fields
            ))
            for _name in phone_fields:
                params += [_PHONE_TAIL, tails]
        if query.vats:
            # normalize_vat in SQL: separators dropped, upper case, zeros after the country prefix dropped.
            conditions.append("p.is_company AND regexp_replace(upper(regexp_replace(p.vat, '[\\s.\\-/]', '', 'g')), "
                              "'^([A-Z]{2})0+([0-9A-Z])', '\\1\\2') = ANY(%s)")
            params.append(list(query.vats))
        if query.company_names:
            # The stored key is the core's own company_name_key (res_partner_company_key.py): one normalisation.
            conditions.append("p.is_company AND p.wc_company_name_key = ANY(%s)")
            params.append(sorted(set(filter(None, map(company_name_key, query.company_names)))))
        if query.names:
            conditions.append("lower(p.name) = ANY(%s)")
            params.append([name.lower() for name in query.names])
        if not conditions:
            return []
        # Raw SQL for the normalised comparisons the ORM cannot express; pending writes go first.
        Partner = self.env["res.partner"]
        Partner.flush_model([name for name in ("email_normalized", "phone", "mobile", "vat", "name", "is_company",
                                               "active", "company_id", "wc_company_name_key") if name in Partner._fields])
        self.env.cr.execute(
            "SELECT p.id FROM res_partner p WHERE p.active AND (p.company_id IS NULL OR p.company_id = %s) AND ("
            + " OR ".join(f"({condition})" for condition in conditions) + ")",
            [self.company_id.id, *params],
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _wc_create_planned_partners(self, creates):
        """Create the plan's partners, one ``create`` per generation (parents first); return ``{NewPartner: id}``."""
        created, pending = {}, list(creates)
        # The store's VAT number is kept as sent: base_vat refusing one (a typo, a country it does not know)
        # must not cost the customer their order; the number stays visible for the accountant to fix.
        # Created as customers (customer rank 1, as Odoo's own customer fields do): their first invoices then
        # raise the rank without writing the partner row that parallel page jobs of one buyer share.
        Partner = self.env["res.partner"].with_context(no_vat_validation=True, res_partner_search_mode="customer")
        while pending:
            ready = [c for c in pending if not isinstance(c.values.get("parent_id"), NewPartner)
                     or c.values["parent_id"] in created]
            if not ready:
                raise ValueError("the customer plan creates a partner whose parent is never created")
            values = self._wc_partner_values([
                {**c.values, "parent_id": created.get(c.values.get("parent_id"), c.values.get("parent_id")),
                 "wc_created_by_store_id": self.id}
                for c in ready
            ])
            # Odoo clears company_name on create when there is a parent; a delivery address keeps its
            # shipping company, so it is written afterwards (one write per company name of the generation).
            companies = [vals.pop("company_name", None) for vals in values]
            partners = Partner.create(values)
            by_company = {}
            for partner, company in zip(partners, companies):
                if company:
                    by_company.setdefault(company, []).append(partner.id)
            for company, ids in by_company.items():
                Partner.browse(ids).write({"company_name": company})
            for creation, partner in zip(ready, partners):
                created[creation.ref] = partner.id
            pending = [c for c in pending if c.ref not in created]
        return created

    def _wc_partner_values(self, values_list):
        """Plan values as ``res.partner`` values: country and state codes become ids (looked up in bulk)."""
        country_codes = {v["country_code"] for v in values_list if v.get("country_code")}
        countries = {c.code: c.id for c in self.env["res.country"].search([("code", "in", list(country_codes))])} \
            if country_codes else {}
        state_codes = {v["state_code"] for v in values_list if v.get("state_code")}
        states = {
            (s.country_id.code, s.code): s.id
            for s in self.env["res.country.state"].search(
                [("code", "in", list(state_codes)), ("country_id.code", "in", list(country_codes))])
        } if state_codes and country_codes else {}
        result = []
        for values in values_list:
            vals = {name: value for name, value in values.items() if name not in ("state_code", "country_code")}
            country = values.get("country_code")
            if country is not None:
                vals["country_id"] = countries.get(country, False)
            if values.get("state_code") is not None:
                # Unknown codes are left out rather than guessed.
                vals["state_id"] = states.get((country, values["state_code"]), False)
            if values.get("parent_id") is None:
                vals.pop("parent_id", None)
            result.append(vals)
        return result

    def _wc_join_customer_club(self, members):
        """Tag the registered buyers with the store's club tag and, when the store says so, give them portal access."""
        tag = self.customer_club_tag_id
        newcomers = members.filtered(lambda partner: tag not in partner.category_id) if tag else members.browse()
        if newcomers:
            newcomers.write({"category_id": [(4, tag.id)]})
        if self.customer_portal_access and members:
            self._wc_grant_portal_access(members)

    def _wc_grant_portal_access(self, partners):
        """Invite the partners without a user to the portal, the way the portal wizard does."""
        candidates = partners.filtered(lambda partner: partner.email and not partner.with_context(
            active_test=False).user_ids)
        if not candidates:
            return
        wizard = self.env["portal.wizard"].sudo().create({"partner_ids": [(6, 0, candidates.ids)]})
        for wizard_user in wizard.user_ids.filtered(lambda u: u.email_state == "ok"):
            try:
                with self.env.cr.savepoint():
                    wizard_user.action_grant_access()
            except UserError as error:
                # An email already used by another login: the partner keeps the club, not the portal.
                _logger.info("Store %s: no portal access for partner %s: %s", self.id, wizard_user.partner_id.id, error)

    def _wc_customer_change_note(self, sale_order, values):
        """The chatter note for a customer change that cannot be applied to an invoiced order."""
        labels = {
            "partner_id": self.env._("Customer"),
            "partner_invoice_id": self.env._("Invoice address"),
            "partner_shipping_id": self.env._("Delivery address"),
        }
        Partner = self.env["res.partner"]
        items = Markup("").join(
            Markup("<li>%s: %s → %s</li>") % (
                labels[name], sale_order[name].display_name or "-", Partner.browse(partner_id).display_name)
            for name, partner_id in values.items()
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (
            escape(self.env._("The store changed this order's customer. The order is already invoiced, "
                              "so Odoo keeps it and its posted invoices as they are:")),
            items,
        )
