from taavon.visits import field_urls, figure_urls, staff_urls

app_name = "visits"
# the staff's pages: the plan, a visit, the findings to follow (staff_urls); the figures (figure_urls); the
# inspector's installable offline app, its data and the reports' sync endpoint (field_urls)
urlpatterns = staff_urls.urlpatterns + figure_urls.urlpatterns + field_urls.urlpatterns
