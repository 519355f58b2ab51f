"""Background work for the network map: measures too slow to compute during a request (measures.py)."""

from django.core.cache import cache
from django_tasks import task

from .measures import compute, lock_key
from .models import MeasureView


@task()
def compute_measures(view: str) -> None:
    if view not in MeasureView.values:
        return
    try:
        compute(view)
    finally:
        cache.delete(lock_key(view))
