from django.urls import path

from carepath.audit import views

urlpatterns = [
    path("audit/", views.audit_trail, name="audit_trail"),
    path("accounts/me/access-log/", views.access_log, name="access_log"),
]
