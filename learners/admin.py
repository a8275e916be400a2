from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from learners.models import Activity, LearnerProfile

# ModelAdmin is generic for the type checker only.
if TYPE_CHECKING:
    ProfileAdminBase = admin.ModelAdmin[LearnerProfile]
    ActivityAdminBase = admin.ModelAdmin[Activity]
else:
    ProfileAdminBase = ActivityAdminBase = admin.ModelAdmin


@admin.register(LearnerProfile)
class LearnerProfileAdmin(ProfileAdminBase):
    list_display = ["learner", "time_zone", "time_zone_chosen", "updated_at"]
    search_fields = ["learner"]


@admin.register(Activity)
class ActivityAdmin(ActivityAdminBase):
    list_display = ["learner", "kind", "key", "points", "day", "time_zone"]
    list_filter = ["kind"]
    search_fields = ["learner", "key"]
