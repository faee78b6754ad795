"""The pilot eligibility rule, every branch, and the three rule sets."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from simkit import eligible_for_pilot
from simkit.model.clients import ATTRIBUTES, municipal_client

ALL_COMBINATIONS = list(itertools.product([False, True], repeat=5))


@pytest.mark.parametrize("resides, kela, under_30, language, citizen", ALL_COMBINATIONS)
def test_pilot_rule_truth_table(resides, kela, under_30, language, citizen):
    expected = resides and (kela or under_30 or language or citizen)
    assert eligible_for_pilot(resides, kela, under_30, language, citizen) == expected


@pytest.mark.parametrize("branch", ["kela_benefit", "under_30", "foreign_language", "foreign_citizen"])
def test_each_criterion_alone_makes_a_resident_a_pilot_client(branch):
    flags = {name: False for name in ATTRIBUTES} | {"resides_in_pilot_area": True, branch: True}
    assert eligible_for_pilot(**flags)
    flags["resides_in_pilot_area"] = False
    assert not eligible_for_pilot(**flags), "living outside the pilot area keeps a client at the TE office"


def test_resident_over_30_finnish_speaker_without_kela_benefit_stays_te_client():
    assert not eligible_for_pilot(True, False, False, False, False)


def test_arrays_agree_with_scalars():
    table = np.array(ALL_COMBINATIONS)
    attributes = {name: table[:, i] for i, name in enumerate(ATTRIBUTES)}
    vectorised = municipal_client("pilot-2021", attributes)
    assert vectorised.tolist() == [bool(eligible_for_pilot(*row)) for row in ALL_COMBINATIONS]


def test_rule_sets():
    table = np.array(ALL_COMBINATIONS)
    attributes = {name: table[:, i] for i, name in enumerate(ATTRIBUTES)}
    assert not municipal_client("te-only", attributes).any()
    assert municipal_client("te24", attributes).all()
    assert municipal_client("pilot-2021", attributes).sum() == 15  # resident and any of 4 flags: 2**4 - 1
    with pytest.raises(ValueError):
        municipal_client("pilot-2030", attributes)
