"""Staff: a cooperative's identity card (PDF), and cards in batch for a filter."""


def card_pdf(request, shenasnameh: str):
    raise NotImplementedError


def batch(request):
    raise NotImplementedError


def batch_status(request, job: str):
    raise NotImplementedError


def batch_download(request, job: str):
    raise NotImplementedError
