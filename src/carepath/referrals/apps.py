from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "carepath.referrals"
    label = "referrals"
    verbose_name = _("Referrals and support relationships")
