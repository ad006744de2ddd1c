from __future__ import annotations

from petittalk.payments.forms import BillingForm


def test_the_billing_country_list_names_every_country_in_english():
    names = dict(BillingForm().fields["country"].choices)

    assert names["NR"] == "Nauru"
    assert names["TR"] == "Turkey"
    assert names["BS"] == "Bahamas"
    assert names["FR"] == "France" and names["CI"] == "Côte d'Ivoire"
