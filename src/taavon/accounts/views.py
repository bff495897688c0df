from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from taavon.accounts.models import Role


@login_required
def home(request):
    """Where a user lands: representatives in their cooperative's portal, staff in the registry."""
    if request.user.role == Role.REPRESENTATIVE:
        return redirect("members:portal")
    return redirect("registry:list")
