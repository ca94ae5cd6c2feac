"""load() of a file written by the command line tool, against h5py."""
import h5py
import numpy as np

import rnnlab


def test_load_round_trip(cli_results):
    exp = rnnlab.load(cli_results)
    assert [r.seed for r in exp.networks] == [3, 4]
    with h5py.File(cli_results, "r") as f:
        assert exp.config == f.attrs["config"]
        for rec in exp.networks:
            g = f[f"networks/{rec.seed}"]
            assert rec.status == g.attrs["status"] == "trained"
            assert rec.iterations == g.attrs["iterations"] == 120
            for name in ("w_in", "w_rec", "w_out", "b", "b_out", "x0"):
                np.testing.assert_array_equal(getattr(rec.trained, name), g["trained"][name][()])
                np.testing.assert_array_equal(getattr(rec.initial, name), g["initial"][name][()])
            np.testing.assert_array_equal(rec.curves["val_loss"], g["train/val_loss"][()])
            assert rec.trained.alpha == g.attrs["alpha"] == 0.2
            # analysis groups, as nested dicts of arrays and attributes
            sp = rec.analysis["spectrum"]["trained"]
            assert sp["spectral_radius"] == g["analysis/spectrum/trained"].attrs["spectral_radius"]
            np.testing.assert_array_equal(sp["eigenvalues"], g["analysis/spectrum/trained/eigenvalues"][()])
    assert list(exp.networks[0].curves["iteration"]) == [40.0, 80.0, 120.0]
    text = repr(exp)
    assert "2 networks" in text and "task flipflop" in text and "seed 3" in text and "analysis: spectrum" in text


def test_loaded_network_agrees_with_the_file_and_its_task(cli_results):
    exp = rnnlab.load(cli_results)
    rec = exp.network(4)
    # The spectrum computed in Python equals the one `rnnlab analyze` wrote.
    sp = rnnlab.spectrum(rec.trained)
    np.testing.assert_allclose(sp.eigenvalues, rec.analysis["spectrum"]["trained"]["eigenvalues"], atol=1e-12)
    # The initial W_rec was drawn with gain 0.9: the theory knows it from the config.
    assert rnnlab.spectrum(rec.initial).theory.circular_radius == 0.9
    task = exp.task()
    assert (task.name, task.n_inputs, task.steps) == ("flipflop", 2, 40)
    b = task.batch(64, seed=5)
    outputs = rec.trained.simulate(b.inputs).outputs
    # The flip-flop rule recomputed here: a trial is right when, at every scored
    # step, every bit that has been set has the output's sign.
    def flipflop_accuracy(y):
        set_bits = (b.targets != 0) & (b.mask[:, :, None] != 0)
        wrong = set_bits & (y * b.targets <= 0)
        return float(np.mean(~wrong.any(axis=(0, 2))))
    assert task.accuracy(b, outputs) == flipflop_accuracy(outputs)
    assert task.accuracy(b, b.targets) == 1.0
    # The opposite output is wrong on every trial that has a set bit to score.
    assert task.accuracy(b, -b.targets) == flipflop_accuracy(-b.targets) < 0.5
