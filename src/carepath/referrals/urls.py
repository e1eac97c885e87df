from django.urls import path

from carepath.referrals.views import notices, seeker, supporter

urlpatterns = [
    path("support/", seeker.my_support, name="my_support"),
    path("support/ask/", seeker.ask_for_contact, name="ask_for_contact"),
    path("support/<int:referral_id>/", seeker.my_support_detail, name="my_support_detail"),
    path("support/<int:referral_id>/withdraw/", seeker.withdraw_request, name="withdraw_request"),
    path("support/<int:referral_id>/end/", seeker.end_support, name="end_support_person"),
    path("support/hand-offs/<int:hand_off_id>/", seeker.hand_off_consent, name="hand_off_consent"),
    path("supporting/", supporter.people, name="people_i_support"),
    path("supporting/<int:referral_id>/", supporter.supporting_detail, name="supporting_detail"),
    path("supporting/<int:referral_id>/accept/", supporter.accept_request, name="accept_request"),
    path("supporting/<int:referral_id>/decline/", supporter.decline_request, name="decline_request"),
    path("supporting/<int:referral_id>/end/", supporter.end_support, name="end_support_supporter"),
    path("supporting/<int:referral_id>/contacts/", supporter.log_contact, name="log_contact"),
    path("supporting/<int:referral_id>/hand-off/", supporter.ask_hand_off, name="ask_hand_off"),
    path("supporting/<int:referral_id>/shared/", supporter.shared_snapshot, name="shared_snapshot"),
    path("notifications/", notices.notifications, name="notifications"),
    path("notifications/<int:notice_id>/read/", notices.mark_read, name="notification_read"),
    path("notifications/read-all/", notices.mark_all_read, name="notifications_read_all"),
]
