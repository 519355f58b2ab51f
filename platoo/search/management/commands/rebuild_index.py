"""Rebuild the search index from scratch: `manage.py rebuild_index`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from platoo.search import registry
from platoo.search.backends import backend
from platoo.search.index import clear_index, write_entries


class Command(BaseCommand):
    help = "Rebuild the search index from every registered type, in batches, with a progress bar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        clear_index()
        for label, adapter in registry.adapters().items():
            queryset = adapter.indexable().order_by("pk")
            with tqdm(total=queryset.count(), desc=label, unit=" items", disable=options["verbosity"] == 0) as bar:
                batch = []
                for obj in queryset.iterator(chunk_size=batch_size):
                    entry = adapter.entry(obj)
                    if entry is not None:
                        batch.append((obj.pk, entry))
                    if len(batch) >= batch_size:
                        write_entries(label, batch)
                        bar.update(len(batch))
                        batch = []
                write_entries(label, batch)
                bar.update(len(batch))
        backend().analyze()
