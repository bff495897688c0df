"""Deployment: `check --deploy` with TAAVON_HTTPS=1, plain http without it, the Content-Security-Policy, and
`Cache-Control: no-store` on what a signed-in user is sent."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_cooperative

pytestmark = pytest.mark.django_db


def _run(args: list[str], tmp_path, **env) -> subprocess.CompletedProcess:
    # the process's own settings only: no TAAVON_* of this environment, and not the browser tests' async switch
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TAAVON_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(TAAVON_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="taavon.settings", **env)
    return subprocess.run(
        [sys.executable, *args], env=environment, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def deploy_check(tmp_path_factory):
    """`taavon check --deploy` with the production flag, run once for the module."""
    done = _run(
        ["-m", "taavon.cli", "check", "--deploy"], tmp_path_factory.mktemp("deploy"), TAAVON_HTTPS="1"
    )
    return done.returncode, done.stdout + done.stderr


def _warnings(output: str) -> list[str]:
    """The ids of the errors and warnings reported ("security.W004", "drf_spectacular.W002")."""
    return re.findall(r"\(([a-z_]+\.[A-Z]\d+)\)", output)


def test_check_deploy_has_no_security_warning_with_https(deploy_check):
    code, output = deploy_check
    assert code == 0, output
    assert not [w for w in _warnings(output) if not w.startswith("drf_spectacular.")], output


def test_check_deploy_has_no_schema_warning(deploy_check):
    """With the test above: `check --deploy` is clean."""
    _, output = deploy_check
    assert not [w for w in _warnings(output) if w.startswith("drf_spectacular.")], output


def test_production_settings_come_with_the_flag(tmp_path):
    show = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps(["
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER, s.TAAVON_BEHIND_PROXY]))"
    )
    on = _run(["-c", show], tmp_path, TAAVON_HTTPS="1")
    assert json.loads(on.stdout) == [
        True,
        True,
        True,
        365 * 24 * 3600,
        True,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        True,
    ]
    off = _run(["-c", show], tmp_path)
    assert json.loads(off.stdout) == [False, False, False, 0, False, None, False]  # make demo: plain http
    no_subdomains = _run(["-c", show], tmp_path, TAAVON_HTTPS="1", TAAVON_HSTS_INCLUDE_SUBDOMAINS="0")
    assert json.loads(no_subdomains.stdout)[4] is False


def test_plain_http_works_without_the_flag(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200 and "Strict-Transport-Security" not in response
    assert "secure" not in str(response.cookies.get("csrftoken", "")).lower()


# -- Content-Security-Policy ---------------------------------------------------------------------------------------


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


def test_every_page_has_a_strict_content_security_policy(client, provincial):
    for response in (
        client.get(reverse("accounts:login")),
        _signed_in(client, provincial).get(reverse("home")),
    ):
        policy = _policy(response)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]


def _inline(html: str) -> list[str]:
    """Inline scripts, event handlers and style attributes or elements (JSON data blocks are not executed)."""
    found = []
    for m in re.finditer(r"<script\b([^>]*)>", html):
        attrs = m.group(1)
        if "src=" not in attrs and 'type="application/json"' not in attrs:
            found.append(m.group(0))
    found += re.findall(r"<[^>]*\s(?:on[a-z]+|style)\s*=[^>]*>", html)
    found += re.findall(r"<style\b", html)
    return found


def test_the_login_dashboard_and_press_pages_have_nothing_inline(client, provincial):
    assert not _inline(client.get(reverse("accounts:login")).content.decode())
    _signed_in(client, provincial)
    for name in ("home", "reports:dashboard", "reports:press", "accounts:otp_setup"):
        body = client.get(reverse(name)).content.decode()
        assert not _inline(body), (name, _inline(body))
    body = client.get(reverse("reports:dashboard")).content.decode()
    assert 'name="htmx-config"' in body and '"includeIndicatorStyles":false' in body


# -- Cache-Control -------------------------------------------------------------------------------------------------


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_signed_in_pages_and_exports_are_not_stored(client, provincial, admin_user):
    coop = make_cooperative(acting_user=admin_user)
    members = reverse("members:members_export", kwargs={"shenasnameh": coop.shenasnameh, "fmt": "csv"})
    _signed_in(client, provincial)
    for url in (
        reverse("home"),
        reverse("registry:list"),
        members,
        reverse("registry:export", args=["xlsx"]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= directives, url


def test_the_login_page_is_not_stored_either_but_public_answers_may_be(client):
    """The login page: Django's LoginView already says no-store (never_cache); an anonymous public answer (the
    statistics API) is left as it is."""
    assert "no-store" in client.get(reverse("accounts:login"))["Cache-Control"]
    assert "no-store" not in client.get("/api/v1/stats/projects").get("Cache-Control", "")


def test_a_login_response_is_marked_and_static_files_are_not(client, provincial):
    response = client.post(reverse("accounts:login"), {"username": provincial.username, "password": PASSWORD})
    assert response.status_code == 302 and "no-store" in response["Cache-Control"]
    static = client.get("/static/taavon/taavon.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
