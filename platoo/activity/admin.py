from django.contrib import admin

from .models import Activity, ActivitySubject, DeliveryPreference, Follow, Notification


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "key", "created_at"]
    search_fields = ["user__username", "key"]
    raw_id_fields = ["user"]


class SubjectInline(admin.TabularInline):
    model = ActivitySubject
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "verb", "title", "audience", "target"]
    list_filter = ["verb"]
    search_fields = ["title", "target", "audience"]
    raw_id_fields = ["actor"]
    date_hierarchy = "created_at"
    inlines = [SubjectInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "actor", "title", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "title"]
    raw_id_fields = ["recipient", "actor"]
    date_hierarchy = "created_at"


@admin.register(DeliveryPreference)
class DeliveryPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_mode", "language", "last_digest_at", "updated_at"]
    list_filter = ["email_mode", "language"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]
