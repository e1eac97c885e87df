from django.urls import path

from carepath.decision import views

urlpatterns = [
    path("", views.decide, name="decide"),
    path("rules/", views.rules_page, name="decision_rules"),
]
