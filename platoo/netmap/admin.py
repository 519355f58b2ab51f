from django.contrib import admin

from .models import MeasureSnapshot


@admin.register(MeasureSnapshot)
class MeasureSnapshotAdmin(admin.ModelAdmin):
    list_display = ["view", "computed_at", "node_count", "edge_count", "exact", "samples", "seconds"]
    readonly_fields = [f.name for f in MeasureSnapshot._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
