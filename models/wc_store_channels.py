"""The store's work as queue_job jobs: its channel.

Every store has its own job channel, ``root.woocommerce.store_<id>``
(:meth:`WcStore._wc_channel`), created with the store under
``root.woocommerce`` so an administrator can give a busy store more workers
(or pause one) without touching the others. Retry patterns live on the job
functions (``data/queue_job_data.xml``).
"""

import logging

from odoo import api, models

from .const import ROOT_CHANNEL_XMLID

_logger = logging.getLogger(__name__)



class WcStore(models.Model):
    _inherit = "wc.store"

    # -- the channel -----------------------------------------------------------

    def unlink(self):
        channels = self._wc_channel_records()
        result = super().unlink()
        channels.unlink()
        return result

    def _wc_channel(self):
        """The queue_job channel of this store's jobs: ``root.woocommerce.store_<id>``."""
        self.ensure_one()
        return f"root.woocommerce.store_{self.id}"

    def _wc_channel_records(self):
        """The ``queue.job.channel`` records of these stores (superuser: channels are queue_job admin data)."""
        parent = self.env.ref(ROOT_CHANNEL_XMLID, raise_if_not_found=False)
        if not parent or not self:
            return self.env["queue.job.channel"].sudo()
        return self.env["queue.job.channel"].sudo().search(
            [("parent_id", "=", parent.id), ("name", "in", [f"store_{store.id}" for store in self])]
        )

    @api.model
    def _wc_ensure_store_channels(self):
        """Give every store (archived ones too) its channel; run by the module's data on install and update."""
        self.with_context(active_test=False).search([])._wc_ensure_channels()

    def _wc_ensure_channels(self):
        """Create the missing channels of these stores under ``root.woocommerce``."""
        parent = self.env.ref(ROOT_CHANNEL_XMLID, raise_if_not_found=False)
        if not parent:
            return  # installing, before data/queue_job_data.xml: that file gives every store its channel
        existing = set(self._wc_channel_records().mapped("name"))
        self.env["queue.job.channel"].sudo().create(
            [
                {"name": name, "parent_id": parent.id}
                for name in (f"store_{store.id}" for store in self)
                if name not in existing
            ]
        )
