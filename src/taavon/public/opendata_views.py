"""Bulk downloads of the open data (the register, the projects) and their data package."""


def index(request):
    raise NotImplementedError


def download(request, filename: str):
    raise NotImplementedError
