from taavon.festival import candidate_urls, jury_urls, public_urls, result_urls

app_name = "festival"
# the staff's pages of an edition and its candidates (candidate_urls), the jurors' pages (jury_urls), the results,
# appeals and certificates (result_urls), the public winners list (public_urls)
urlpatterns = (
    candidate_urls.urlpatterns + jury_urls.urlpatterns + result_urls.urlpatterns + public_urls.urlpatterns
)
