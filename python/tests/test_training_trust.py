"""Best and final weights in Python: rnnlab.train's records and rnnlab.load's,
of new files and of files written before the fields existed (docs/training.md)."""
import shutil

import h5py
import numpy as np

import rnnlab

CONFIG = {
    "task": {"name": "flipflop", "bits": 1, "duration": 400},
    "model": {"units": 16},
    "train": {"iterations": 80, "batch": 16, "learning_rate": 0.1, "validate_every": 10,
              "validation_trials": 64, "checkpoint_every": 0, "seed": 5},
}


def test_train_returns_the_best_weights_and_the_final_ones(tmp_path):
    out = tmp_path / "best.h5"
    (rec,) = rnnlab.train(CONFIG, progress=False, output=str(out))
    val = rec.curves["val_loss"]
    best = int(np.argmin(val))
    assert rec.status == "trained"
    assert rec.best_iteration == int(rec.curves["iteration"][best])
    assert rec.best_val_loss == val[best] and rec.best_val_accuracy == rec.curves["val_accuracy"][best]
    assert rec.final_val_loss == val[-1]
    assert rec.best_iteration < rec.iterations  # at this rate the best (iteration 20) is not the last
    assert rec.final_weights is not None and rec.final is rec.final_weights
    assert not np.array_equal(rec.final.w_rec, rec.trained.w_rec)
    assert f"val loss {rec.best_val_loss:.4g}" in repr(rec)

    # The file says the same.
    (back,) = rnnlab.load(out).networks
    assert back.best_iteration == rec.best_iteration and back.best_val_loss == rec.best_val_loss
    np.testing.assert_array_equal(back.trained.w_rec, rec.trained.w_rec)
    np.testing.assert_array_equal(back.final.w_rec, rec.final.w_rec)
    with h5py.File(out, "r") as f:
        net = f["networks/5"]
        assert net.attrs["best_iteration"] == rec.best_iteration
        assert "final" in net


def test_files_without_the_fields_still_load(cli_results, tmp_path):
    old = tmp_path / "old.h5"
    shutil.copy(cli_results, old)
    with h5py.File(old, "r+") as f:
        for net in f["networks"].values():
            for name in ("best_iteration", "best_val_loss", "best_val_accuracy", "final_val_loss",
                         "final_val_accuracy"):
                if name in net.attrs:
                    del net.attrs[name]
            if "final" in net:
                del net["final"]
    new = rnnlab.load(cli_results).networks
    for rec, fresh in zip(rnnlab.load(old).networks, new):
        assert rec.best_iteration == -1 and np.isnan(rec.best_val_loss) and np.isnan(rec.final_val_loss)
        assert rec.final_weights is None and rec.final is rec.trained
        np.testing.assert_array_equal(rec.trained.w_rec, fresh.trained.w_rec)
        assert fresh.best_iteration > 0  # the new file has them
