from django.urls import path

from carepath.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("home/", views.role_home, name="role_home"),
]
