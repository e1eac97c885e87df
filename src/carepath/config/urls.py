from django.contrib import admin
from django.urls import include, path

from carepath.config.api import api
from carepath.config.hsds_api import hsds_api

urlpatterns = [
    path("", include("carepath.web.urls")),
    path("crisis/", include("carepath.crisis.urls")),
    path("accounts/", include("carepath.accounts.urls")),
    path("accounts/", include("carepath.rights.urls")),
    path("check-in/", include("carepath.screening.urls")),
    path("progress/", include("carepath.outcomes.urls")),
    path("programme/", include("carepath.outcomes.report_urls")),
    path("decide/", include("carepath.decision.urls")),
    path("find/", include("carepath.directory.urls_search")),
    path("", include("carepath.safety.urls")),
    path("", include("carepath.matching.urls")),
    path("", include("carepath.referrals.urls")),
    path("", include("carepath.sharing.urls")),
    path("directory/", include("carepath.directory.urls")),
    path("", include("carepath.audit.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("hsds/", hsds_api.urls),
]

handler400 = "carepath.web.views.bad_request"
handler403 = "carepath.web.views.forbidden"
handler404 = "carepath.web.views.not_found"
handler500 = "carepath.web.views.server_error"
