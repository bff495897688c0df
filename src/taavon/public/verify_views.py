"""The public verify pages: an identity card's QR code opens them; they also check festival certificates."""


def verify_form(request):
    raise NotImplementedError


def verify(request, shenasnameh: str, token: str):
    raise NotImplementedError
