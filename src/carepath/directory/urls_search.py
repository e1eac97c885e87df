from django.urls import path

from carepath.directory import views_search

urlpatterns = [path("", views_search.find, name="find")]
