"""Signals kept for the apps above knowledge (which it never imports)."""

from django.dispatch import Signal

# An item's content was saved again (an edit, a restore, an admin edit), inside the saving transaction:
# sent with `item` (refreshed, its new version) and `actor`.
item_edited = Signal()
