"""Signals kept for one purpose each, so apps above the network can react without the network importing them."""

from django.dispatch import Signal

# Sent inside do_change_membership's transaction with `organization` (its new status saved), `previous`
# (the status it had) and `actor`: apps above react to a member leaving, being suspended or coming back,
# such as the events app flagging the visits a departing host was to hold.
membership_changed = Signal()
