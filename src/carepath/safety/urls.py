from django.urls import path

from carepath.safety import views

urlpatterns = [
    path("safety-plan/", views.safety_plan, name="safety_plan"),
    path("safety-plan/pdf/", views.safety_plan_pdf, name="safety_plan_pdf"),
    path("safety-plan/export/", views.safety_plan_export, name="safety_plan_export"),
    path("account/risk-alerts/", views.risk_alert_consent, name="risk_alert_consent"),
    path("risk-flags/", views.risk_flags, name="risk_flags"),
    path("risk-flags/<int:flag_id>/review/", views.review_risk_flag, name="review_risk_flag"),
]
