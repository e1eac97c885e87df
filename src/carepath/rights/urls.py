from django.urls import path

from carepath.rights import views

urlpatterns = [
    path("me/export.json", views.export_json, name="account_export_json"),
    path("me/export.fhir.json", views.export_fhir, name="account_export_fhir"),
    path("me/erase/", views.erase, name="account_erase"),
    path("erased/", views.erased, name="account_erased"),
]
