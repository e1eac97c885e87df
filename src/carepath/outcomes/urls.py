from django.urls import path

from carepath.outcomes import views

urlpatterns = [
    path("", views.progress, name="progress"),
    path("<int:episode_id>/", views.episode, name="progress_episode"),
    path("<int:episode_id>/session/", views.record_session, name="progress_record_session"),
    path("<int:episode_id>/end/", views.end_episode, name="progress_end_episode"),
]
