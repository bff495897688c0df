"""The one shape of every form page: validate the form, call a service, put the service's ValidationError back on
the form's fields, or say so and go on."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def form_page(
    request,
    form,
    *,
    call: Callable[[dict], object],
    success: str,
    next_url: Callable[[object], str] | str,
    template: str,
    context: dict,
):
    """GET: show the form. POST: when the form is valid, `call(cleaned_data)`; a ValidationError from the service
    lands on the fields; success redirects to `next_url` (a URL, or a function of the service's result)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(next_url(result) if callable(next_url) else next_url)
    return render(request, template, {"form": form, **context})
