"""Pages of the directory. Coordinators keep it up to date under manage/."""

from django.urls import path

from carepath.directory import views_manage, views_manage_details

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
    # What describes one service: cost options, languages, opening hours (views_manage_details).
    path("manage/services/<str:service_id>/", views_manage_details.service_page, name="manage_service"),
    path(
        "manage/services/<str:service_id>/costs/add/",
        views_manage_details.cost_option_add,
        name="manage_cost_option_add",
    ),
    path(
        "manage/cost-options/<str:cost_option_id>/edit/",
        views_manage_details.cost_option_edit,
        name="manage_cost_option_edit",
    ),
    path(
        "manage/cost-options/<str:cost_option_id>/remove/",
        views_manage_details.cost_option_remove,
        name="manage_cost_option_remove",
    ),
    path(
        "manage/services/<str:service_id>/languages/add/",
        views_manage_details.language_add,
        name="manage_language_add",
    ),
    path(
        "manage/languages/<str:language_id>/remove/",
        views_manage_details.language_remove,
        name="manage_language_remove",
    ),
    path("manage/services/<str:service_id>/hours/", views_manage_details.opening_hours, name="manage_hours"),
    path(
        "manage/services/<str:service_id>/hours/<str:link_id>/",
        views_manage_details.opening_hours,
        name="manage_hours_at",
    ),
]
