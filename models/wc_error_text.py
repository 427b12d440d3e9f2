"""A store error, in the language of whoever reads it."""


def error_text(env, error):
    """``error``'s sentence in ``env``'s language.

    The core's errors are English templates with named placeholders, marked
    for Odoo's exporter (``wc_connector/texts.py``): each template is looked
    up in this addon's translations (``env._`` finds the module from this
    file), then filled in with the store's own words, which stay as the store
    wrote them. Any other exception is shown as it is.
    """
    render = getattr(error, "render", None)
    if render is None:
        return str(error)
    return render(lambda template, params: env._(template, **params) if params else env._(template))
