"""The map of the counties (public; the same map on the staff dashboard)."""


def county_map(request):
    raise NotImplementedError
