from django.urls import path

from carepath.matching import views

urlpatterns = [
    path("matches/", views.matches, name="matches"),
    path("supporter/profile/", views.supporter_profile, name="supporter_profile"),
    path(
        "supporter/profiles/<int:profile_id>/",
        views.supporter_profile_detail,
        name="supporter_profile_detail",
    ),
    path("professional/profile/", views.professional_profile, name="professional_profile"),
    path("coordinator/assignment/", views.batch_assignment, name="batch_assignment"),
]
