from django.urls import path

from taavon.members import portal, views

app_name = "members"
urlpatterns = [
    path("cooperatives/<str:shenasnameh>/members/", views.members_page, name="members"),
    path("cooperatives/<str:shenasnameh>/members/new/", views.member_add, name="member_add"),
    path(
        "cooperatives/<str:shenasnameh>/members/export.<str:fmt>", views.members_export, name="members_export"
    ),
    path("cooperatives/<str:shenasnameh>/members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path(
        "cooperatives/<str:shenasnameh>/members/<int:pk>/contribution/",
        views.contribution_add,
        name="contribution_add",
    ),
    path("cooperatives/<str:shenasnameh>/officers/new/", views.officer_add, name="officer_add"),
    path("cooperatives/<str:shenasnameh>/assemblies/new/", views.assembly_add, name="assembly_add"),
    path("cooperatives/<str:shenasnameh>/returns/new/", views.return_add, name="return_add"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("returns/", views.returns_report, name="returns"),
    path("returns/export.<str:fmt>", views.returns_export, name="returns_export"),
    path("reviews/", views.review_queue, name="reviews"),
    path("reviews/<int:pk>/accept/", views.review_accept, name="review_accept"),
    path("reviews/<int:pk>/refuse/", views.review_refuse, name="review_refuse"),
    path("portal/", portal.portal_home, name="portal"),
    path("portal/propose/<str:kind>/", portal.portal_propose, name="propose"),
]
