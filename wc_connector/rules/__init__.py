"""The sync's decisions, as pure functions over plain data.

Each module takes parsed payloads (:mod:`..payloads`) plus what the Odoo
side found for them (handed in as small frozen dataclasses) and returns a
plain decision for the Odoo side to apply. Nothing here reads a database,
talks to the store or imports ``odoo``, so every rule is tested fast and
alone. Import from the module that names the concept, e.g.
``from wc_connector.rules.customers import plan_customers``.
"""
