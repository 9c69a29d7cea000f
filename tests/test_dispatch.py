"""One question, one answer: the public questions dispatch to the family that applies, and raise one clear
"not defined for ..." error otherwise."""

from __future__ import annotations

import pytest

import semialg as sa
from semialg.families.base import registered


def test_registered_families_are_ordered_most_specific_first():
    names = [f.name for f in registered()]
    assert names[:2] == ["shallow", "bottleneck"]


@pytest.mark.parametrize("widths", [(2, 3, 1), (1, 2, 2), (2, 1, 3, 2), (2, 3, 1, 2)])
def test_fibre_dimension_and_hidden_symmetries_answer_for_shallow_and_bottleneck(widths):
    compared = 0
    for seed in range(6):
        net = sa.Network.random(widths, seed=seed)
        try:
            dim = sa.fibre_dimension(net)
        except sa.ArchitectureError as exc:     # bottleneck formulas cover generic types only
            assert "generic" in str(exc) or "type" in str(exc)
            continue
        # the fibre dimension is D minus the exact functional dimension (computed by the region engine)
        fd = sa.functional_dimension(net, method="batch").value
        assert dim == net.architecture.num_parameters - fd
        assert all(isinstance(m, sa.Mechanism) for m in sa.hidden_symmetries(net))
        compared += 1
    assert compared >= 2


def test_questions_not_defined_raise_one_clear_error():
    shallow = sa.Network.random((2, 3, 1), seed=0)
    with pytest.raises(sa.ArchitectureError, match="combinatorial_type is not defined"):
        sa.combinatorial_type(shallow)


def test_mechanisms_are_one_type_across_families():
    shallow = sa.Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    bottleneck = sa.Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
    kinds = {type(m) for net in (shallow, bottleneck) for m in sa.hidden_symmetries(net)}
    assert kinds == {sa.Mechanism}
    flip = [m for m in sa.hidden_symmetries(shallow) if m.name == "zero_factor"]
    assert flip and not flip[0].continuous and flip[0].multiplicity == 2
