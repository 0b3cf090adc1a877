"""The other apps' fixtures, so reputation tests build real rows through their services."""

from tests.contests.conftest import funded_organization, make_contest  # noqa: F401
from tests.crowdfunding.conftest import backer, project  # noqa: F401
from tests.ideas.conftest import make_challenge, post_idea, vote  # noqa: F401
from tests.microtasks.conftest import brand, make_batch, make_project, worker  # noqa: F401
from tests.surveys.conftest import make_survey  # noqa: F401
