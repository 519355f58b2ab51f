"""Signals kept for one purpose each, so apps above accounts can react without accounts importing them."""

from django.dispatch import Signal

# Sent inside do_sign_up's transaction with `user` and `invitation` (None without one): apps above
# link what was waiting for the new account, such as a community's invitation by email.
signed_up = Signal()
