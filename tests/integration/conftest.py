import pytest

from tests.support.till import Till, make_till


@pytest.fixture
def till(tmp_path) -> Till:
    return make_till(tmp_path / "till")
