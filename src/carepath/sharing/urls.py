from django.urls import path

from carepath.sharing import views

urlpatterns = [
    path("sharing/", views.who_can_see_what, name="who_can_see_what"),
    path("sharing/withdraw-all/", views.withdraw_everything, name="withdraw_all_sharing"),
    path("sharing/people/<int:referral_id>/", views.shared_with_me, name="shared_with_me"),
]
