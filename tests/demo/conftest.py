import pytest


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The places and the registry's lists the loaders draw from: a transactional test elsewhere on the same worker
    may have flushed what the migrations loaded."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False) or "transactional_db" in request.fixturenames
    # database access before the loaders
    request.getfixturevalue("transactional_db" if transactional else "db")
    from tests.factories import ensure_reference_data

    ensure_reference_data()
