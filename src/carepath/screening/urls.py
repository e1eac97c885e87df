from django.urls import path

from carepath.screening import views

urlpatterns = [
    path("", views.start, name="check_in"),
    path("questions/", views.questions, name="check_in_questions"),
    path("history/", views.history, name="check_in_history"),
]
