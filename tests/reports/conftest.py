import pytest

from .workshop import build_workshop


@pytest.fixture
def workshop(db):
    return build_workshop()
