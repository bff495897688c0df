"""The festival's outputs: the public winners list, the winners' certificates (staff; the representative, from the
portal)."""

from django.urls import path

from taavon.festival import public_views

urlpatterns = [
    path("<int:number>/winners/", public_views.winners, name="winners"),
    path("<int:number>/certificates/<int:pk>.pdf", public_views.certificate, name="certificate"),
    path("<int:number>/portal/certificate.pdf", public_views.portal_certificate, name="portal_certificate"),
]
