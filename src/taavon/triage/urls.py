from taavon.triage import case_urls, flag_urls

app_name = "triage"
# the flagged list, the rules' settings and record health (flag_urls); the cases (case_urls)
urlpatterns = flag_urls.urlpatterns + case_urls.urlpatterns
