from django.urls import path

from carepath.crisis import views

urlpatterns = [path("", views.crisis_help, name="crisis_help")]
