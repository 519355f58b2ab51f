"""Writes to the cycle. Each checks who may do it, cleans what was typed and runs in one transaction."""

from .panels import PanelData, do_save_panel
from .reviews import (
    ReviewData,
    counted_reviews,
    do_decide,
    do_review,
    majority,
    queue_for,
    review_problem,
    sweep_reverification,
)
from .stages import (
    Categories,
    StaleMove,
    advance_to,
    allowed_moves,
    do_categorize,
    do_mark_critical,
    do_move,
    move_problem,
    send_back_after_edit,
)

__all__ = [
    "Categories",
    "PanelData",
    "ReviewData",
    "StaleMove",
    "advance_to",
    "allowed_moves",
    "counted_reviews",
    "do_categorize",
    "do_decide",
    "do_mark_critical",
    "do_move",
    "do_review",
    "do_save_panel",
    "majority",
    "move_problem",
    "queue_for",
    "review_problem",
    "send_back_after_edit",
    "sweep_reverification",
]
