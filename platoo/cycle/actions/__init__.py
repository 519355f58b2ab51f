"""Writes to the cycle. Each checks who may do it, cleans what was typed and runs in one transaction."""

from .applications import (
    ApplicationData,
    applicable_problem,
    do_record_application,
    is_flow,
    organizations_for,
)
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
from .synthesis import (
    MIN_SOURCES,
    ClaimData,
    SynthesisData,
    can_edit_synthesis,
    can_synthesize,
    do_create_synthesis,
    do_update_synthesis,
)

__all__ = [
    "MIN_SOURCES",
    "ApplicationData",
    "ClaimData",
    "SynthesisData",
    "applicable_problem",
    "can_edit_synthesis",
    "can_synthesize",
    "do_create_synthesis",
    "do_record_application",
    "do_update_synthesis",
    "is_flow",
    "organizations_for",
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
