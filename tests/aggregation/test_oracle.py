"""Oracle: Crowd-Kit, the field's reference library, on the public datasets (same settings)."""

import numpy as np
import pytest

from tolpa.aggregation import categorical_answers, dawid_skene, majority_vote, one_coin_dawid_skene

from .conftest import DATASETS, dataset_path, read_csv

crowdkit = pytest.importorskip("crowdkit.aggregation", reason="crowd-kit is not installed")
pd = pytest.importorskip("pandas", reason="pandas (a crowd-kit dependency) is not installed")
pytestmark = pytest.mark.filterwarnings("ignore::Warning:crowdkit")


def _load(name: str):
    columns = read_csv(dataset_path(name) / "answers.csv")
    answers = categorical_answers(columns["task"], columns["worker"], columns["label"])
    return pd.DataFrame(columns), answers


def _their_labels(model, answers) -> np.ndarray:
    return model.labels_.reindex(answers.task_ids).to_numpy()


@pytest.mark.parametrize("name", DATASETS)
def test_majority_vote_matches_crowd_kit(name):
    """Same vote shares everywhere. Ties are broken differently (Crowd-Kit's order is that of
    pandas value_counts; ours is sorted class order), so labels are compared on untied tasks."""
    frame, answers = _load(name)
    theirs = crowdkit.MajorityVote().fit(frame)
    ours = majority_vote(answers)
    shares = theirs.probas_.reindex(index=answers.task_ids, columns=answers.classes).fillna(0.0)
    np.testing.assert_allclose(ours.probabilities, shares.to_numpy(), atol=1e-12)
    top_two = np.sort(ours.probabilities, axis=1)[:, -2:]
    untied = top_two[:, 1] > top_two[:, 0]
    assert (ours.labels == _their_labels(theirs, answers))[untied].mean() >= 0.99


@pytest.mark.parametrize("name", DATASETS)
def test_dawid_skene_matches_crowd_kit(name):
    """Crowd-Kit's stopping test compares an objective that falls as EM proceeds, so it stops
    after 2-3 iterations on most sets; "same settings" is therefore its iteration count, and
    maximum likelihood (no diagonal prior)."""
    frame, answers = _load(name)
    theirs = crowdkit.DawidSkene(n_iter=100).fit(frame)
    ours = dawid_skene(answers, prior_correct=0.0, max_iter=len(theirs.loss_history_), tol=-np.inf)
    assert (ours.labels == _their_labels(theirs, answers)).mean() >= 0.99


@pytest.mark.parametrize("name", ["act_weather_amt", "act_zencrowd", "zhang_rte", "zheng_duck"])
def test_one_coin_dawid_skene_matches_crowd_kit(name):
    """act_zencrowd is where Crowd-Kit's early stop (2 iterations) beats convergence."""
    frame, answers = _load(name)
    theirs = crowdkit.OneCoinDawidSkene(n_iter=100).fit(frame)
    ours = one_coin_dawid_skene(
        answers, prior_correct=0.0, max_iter=len(theirs.loss_history_), tol=-np.inf
    )
    assert (ours.labels == _their_labels(theirs, answers)).mean() >= 0.99
