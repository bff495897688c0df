from taavon.servicedesk import portal_urls, staff_urls

app_name = "servicedesk"
# the staff's desk (staff_urls); the portal, the public status lookup and the figures (portal_urls)
urlpatterns = staff_urls.urlpatterns + portal_urls.urlpatterns
