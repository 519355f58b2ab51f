from django.contrib import admin
from django.http import HttpRequest

from .models import MeasureSnapshot


@admin.register(MeasureSnapshot)
class MeasureSnapshotAdmin(admin.ModelAdmin):
    list_display = ["view", "computed_at", "node_count", "edge_count", "exact", "samples", "seconds"]
    readonly_fields = [f.name for f in MeasureSnapshot._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
