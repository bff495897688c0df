from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from taavon.accounts.jurisdiction import ensure_staff, is_representative
from taavon.core.contributions import HOME_PANELS


@login_required
def home(request):
    """Where a user lands: representatives in their cooperative's portal; staff on a page of panels that each app
    contributes (what is waiting for them in their jurisdiction)."""
    if is_representative(request.user):
        return redirect("members:portal")
    ensure_staff(request.user)
    return render(request, "accounts/home.html", {"panels": HOME_PANELS.render(request, None)})
