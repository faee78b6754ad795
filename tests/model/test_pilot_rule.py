"""The pilot eligibility rule, every branch (the no-benefit clause too), the three rule sets, and
the joint draw of foreign language and citizenship."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from simkit import eligible_for_pilot
from simkit.model.clients import (
    ATTRIBUTES,
    draw_attributes,
    municipal_client,
    pilot_share,
)
from simkit.scenario.schema import Clients

ALL_COMBINATIONS = list(itertools.product([False, True], repeat=6))


@pytest.mark.parametrize("resides, kela, no_benefit, under_30, language, citizen", ALL_COMBINATIONS)
def test_pilot_rule_truth_table(resides, kela, no_benefit, under_30, language, citizen):
    """No right to earnings-related allowance (Kela benefit or no benefit), under 30, foreign
    language or citizenship: any one, for a resident of the pilot area (64 rows)."""
    expected = resides and (kela or no_benefit or under_30 or language or citizen)
    assert eligible_for_pilot(resides, kela, no_benefit, under_30, language, citizen) == expected


@pytest.mark.parametrize("branch", ["kela_benefit", "no_benefit", "under_30", "foreign_language", "foreign_citizen"])
def test_each_criterion_alone_makes_a_resident_a_pilot_client(branch):
    flags = {name: False for name in ATTRIBUTES} | {"resides_in_pilot_area": True, branch: True}
    assert eligible_for_pilot(**flags)
    flags["resides_in_pilot_area"] = False
    assert not eligible_for_pilot(**flags), "living outside the pilot area keeps a client at the TE office"


def test_a_resident_on_no_benefit_is_a_pilot_client():
    """The law's "no right to earnings-related allowance" takes in people on no benefit at all
    (the seed's "receives a Kela benefit" left them at the TE office)."""
    assert eligible_for_pilot(resides_in_pilot_area=True, kela_benefit=False, no_benefit=True, under_30=False,
                              foreign_language=False, foreign_citizen=False)


def test_resident_over_30_finnish_speaker_with_earnings_related_allowance_stays_te_client():
    assert not eligible_for_pilot(True, False, False, False, False, False)


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
    assert municipal_client("pilot-2021", attributes).sum() == 31  # resident and any of 5 flags: 2**5 - 1
    with pytest.raises(ValueError):
        municipal_client("pilot-2030", attributes)


# -- drawn attributes ---------------------------------------------------------------------------
N = 400_000


def draws(**shares) -> dict[str, np.ndarray]:
    return draw_attributes([Clients(**shares)], np.zeros(N, dtype=int), np.random.default_rng(7))


def test_foreign_language_and_citizenship_are_drawn_jointly():
    """Shares of each, of both, and of either, as the scenario gives them (not independent)."""
    drawn = draws(foreign_language=0.16, foreign_citizen=0.136, foreign_language_and_citizen=0.12)
    language, citizen = drawn["foreign_language"], drawn["foreign_citizen"]
    assert language.mean() == pytest.approx(0.16, abs=0.003)
    assert citizen.mean() == pytest.approx(0.136, abs=0.003)
    assert (language & citizen).mean() == pytest.approx(0.12, abs=0.003)
    assert (language | citizen).mean() == pytest.approx(0.16 + 0.136 - 0.12, abs=0.003)
    independent_either = 1 - (1 - 0.16) * (1 - 0.136)
    assert (language | citizen).mean() < independent_either - 0.05


def test_by_default_every_foreign_citizen_speaks_a_foreign_language():
    drawn = draws(foreign_language=0.08, foreign_citizen=0.06)
    assert not (drawn["foreign_citizen"] & ~drawn["foreign_language"]).any()
    assert drawn["foreign_citizen"].mean() == pytest.approx(0.06, abs=0.002)


def test_benefits_are_exclusive_and_in_their_shares():
    drawn = draws(kela_benefit=0.56, no_benefit=0.12)
    assert not (drawn["kela_benefit"] & drawn["no_benefit"]).any()
    assert drawn["kela_benefit"].mean() == pytest.approx(0.56, abs=0.003)
    assert drawn["no_benefit"].mean() == pytest.approx(0.12, abs=0.003)


def test_pilot_share_formula_matches_the_draws():
    shares = {"resides_in_pilot_area": 0.9, "kela_benefit": 0.5, "no_benefit": 0.15, "under_30": 0.2,
              "foreign_language": 0.16, "foreign_citizen": 0.136, "foreign_language_and_citizen": 0.12}
    drawn = draws(**shares)
    simulated = eligible_for_pilot(*(drawn[name] for name in ATTRIBUTES)).mean()
    assert simulated == pytest.approx(pilot_share(Clients(**shares)), abs=0.003)


@pytest.mark.parametrize("shares, message", [
    ({"kela_benefit": 0.8, "no_benefit": 0.3}, "kela_benefit + no_benefit"),
    ({"foreign_language": 0.1, "foreign_citizen": 0.2, "foreign_language_and_citizen": 0.15}, "more than"),
])
def test_impossible_shares_are_refused(shares, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        Clients(**shares)
