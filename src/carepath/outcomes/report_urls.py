from django.urls import path

from carepath.outcomes import report_views

urlpatterns = [
    path("outcomes/", report_views.programme_outcomes, name="programme_outcomes"),
    path("outcomes.csv", report_views.programme_outcomes_csv, name="programme_outcomes_csv"),
]
