"""Who may press which button: the group check every ``action_*`` that changes data makes itself.

A view's ``groups`` attribute only hides a button; any user who can read the
record can still call the method over RPC (``/web/dataset/call_button``,
XML-RPC). So each action that changes data checks, first thing, the group the
views show it to, with :func:`check_wc_group`. Code that runs as superuser
(crons, queue jobs, the importers' own ``sudo()``) passes: it is not a user
asking.
"""

from odoo.exceptions import AccessError


def check_wc_group(env, group, action):
    """Raise :class:`AccessError` unless ``env``'s user is in ``group`` (an xml id) or ``env`` is superuser.

    ``action`` names what was refused, for the message (already translated).
    """
    if env.su or env.user.has_group(group):
        return
    raise AccessError(
        env._(
            "%(action)s is reserved to the group “%(group)s”; ask one of its members or your administrator.",
            action=action,
            group=env.ref(group).sudo().full_name,
        )
    )
