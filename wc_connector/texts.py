"""Sentences the core shows a shop owner, translatable without a framework.

The core writes each sentence as an English template with named placeholders
(``%(name)s``) and marks the template with ``_lt``. ``_lt`` gives its template
back unchanged, so the core's text stays English. It exists for Odoo's
translation exporter, which collects the literal argument of every ``_(...)``
and ``_lt(...)`` call in the addon's Python files, ``wc_connector/``
included, into the .pot. A host that speaks the reader's language translates
each template and then fills it in (Odoo: ``models/wc_error_text.py``).
"""


def _lt(template):
    """Mark ``template`` as a sentence to translate; return it unchanged."""
    return template


def english(template, params):
    """Fill ``template`` in as it is: the English text.

    Like Odoo's ``_``, a template is formatted only when it has parameters,
    so a sentence without placeholders may hold a literal ``%``.
    """
    return template % params if params else template


class TranslatableText:
    """Something whose text is English templates and their parameters, joined by spaces.

    ``texts()`` lists the ``(template, params)`` pairs; ``render(translate)``
    builds the text with ``translate(template, params)`` for each pair (the
    English by default).
    """

    def texts(self):
        raise NotImplementedError

    def render(self, translate=english):
        """The text, each template passed through ``translate(template, params)``."""
        return " ".join(translate(template, params) for template, params in self.texts())
