"""Pages of the directory. Coordinators keep it up to date under manage/."""

from django.urls import path

from carepath.directory import views_manage

urlpatterns = [
    path("manage/", views_manage.service_listings, name="manage_services"),
    path("manage/organisations/", views_manage.organization_listings, name="manage_organizations"),
    path("manage/organisations/add/", views_manage.organization_add, name="manage_organization_add"),
    path(
        "manage/organisations/<str:organization_id>/",
        views_manage.organization_page,
        name="manage_organization",
    ),
    path(
        "manage/organisations/<str:organization_id>/edit/",
        views_manage.organization_edit,
        name="manage_organization_edit",
    ),
    path(
        "manage/organisations/<str:organization_id>/services/add/",
        views_manage.service_add,
        name="manage_service_add",
    ),
    path(
        "manage/organisations/<str:organization_id>/locations/add/",
        views_manage.location_add,
        name="manage_location_add",
    ),
    path("manage/services/<str:service_id>/edit/", views_manage.service_edit, name="manage_service_edit"),
    path(
        "manage/services/<str:service_id>/checked/",
        views_manage.service_checked,
        name="manage_service_checked",
    ),
    path("manage/locations/<str:location_id>/edit/", views_manage.location_edit, name="manage_location_edit"),
]
