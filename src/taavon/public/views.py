"""The public site's pages (no login): the home page for anonymous visitors, the register's search, a cooperative's
public profile, the statistics. Every row comes from public.selectors (public fields of public records only)."""

from django.http import HttpResponse

from taavon.accounts.views import home as staff_home


def home(request):
    """Anonymous visitors: the public site's home page; a signed-in user: their own home (accounts.views.home)."""
    if request.user.is_authenticated:
        return staff_home(request)
    return HttpResponse("TODO")  # the public home page (helper)


def register(request):
    raise NotImplementedError


def profile(request, shenasnameh: str):
    raise NotImplementedError


def statistics(request):
    raise NotImplementedError
