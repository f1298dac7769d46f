import pytest

from tests.support.smtp import server, smtp_port  # noqa: F401 (fixtures for the mail tests)
from tests.support.till import Till, make_till


@pytest.fixture
def till(tmp_path) -> Till:
    return make_till(tmp_path / "till")
