"""Cross-entropy and per-output masks: the hand-written loss and gradient
(Network.loss_and_grad, the trainer's BPTT) against PyTorch autograd through
to_torch()'s forward, and training on integer labels with train.loss =
"cross_entropy" from Python."""
import numpy as np
import pytest

import rnnlab
from conftest import random_network

torch = pytest.importorskip("torch", reason="python3-torch (installed by scripts/install-deps.sh)")

ARRAYS = ("w_in", "w_rec", "w_out", "b", "b_out", "x0")


def batch(seed=1, steps=30, trials=4, i=2, o=3):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, o, size=(steps, trials))
    return (rng.normal(size=(steps, trials, i)), labels, np.eye(o)[labels],
            (rng.random((steps, trials)) < 0.7).astype(float), (rng.random((steps, trials, o)) < 0.6).astype(float))


def torch_grads(net, loss_of_outputs, u):
    module = net.to_torch()
    out, _ = module(torch.from_numpy(u))
    loss_t = loss_of_outputs(out)
    loss_t.backward()
    return loss_t.item(), {name: getattr(module, name).grad.numpy() for name in ARRAYS}


def assert_same_gradients(grads, reference):
    for name in ARRAYS:
        np.testing.assert_allclose(grads[name], reference[name], rtol=1e-9, atol=1e-13, err_msg=name)
    assert np.abs(reference["w_rec"]).max() > 1e-4  # something to compare


@pytest.mark.parametrize("alpha", [0.1, 1.0])
def test_cross_entropy_matches_torch_autograd(alpha):
    net = random_network(o=3, alpha=alpha)
    u, labels, one_hot, m, _ = batch()
    mt = torch.from_numpy(m)

    def ce(out):  # torch's own cross-entropy on the integer labels, weighted by the (T, B) mask
        per_step = torch.nn.functional.cross_entropy(out.reshape(-1, 3), torch.from_numpy(labels).reshape(-1),
                                                     reduction="none").reshape(m.shape)
        return (per_step * mt).sum() / mt.sum()

    loss_t, reference = torch_grads(net, ce, u)
    loss, grads = net.loss_and_grad(u, one_hot, m, loss="cross_entropy")
    assert loss == pytest.approx(loss_t, rel=1e-12)
    assert_same_gradients(grads, reference)


def test_mse_with_a_per_output_mask_matches_torch_autograd():
    net = random_network(o=3, alpha=0.3)
    u, _, _, _, m3 = batch(seed=2)
    targets = np.random.default_rng(3).normal(size=m3.shape)
    mt = torch.from_numpy(m3)
    loss_t, reference = torch_grads(net, lambda out: (((out - torch.from_numpy(targets)) ** 2) * mt).sum() / mt.sum(), u)
    loss, grads = net.loss_and_grad(u, targets, m3)
    assert loss == pytest.approx(loss_t, rel=1e-12)
    assert_same_gradients(grads, reference)
    # A (T, B, O) mask equal for every output is the (T, B) mask.
    m = m3[:, :, 0]
    same, _ = net.loss_and_grad(u, targets, np.repeat(m[:, :, None], 3, axis=2))
    assert same == pytest.approx(net.loss_and_grad(u, targets, m)[0], rel=1e-14)


def test_loss_name_is_checked():
    net = random_network(o=3)
    u, _, one_hot, m, _ = batch()
    with pytest.raises(rnnlab.InputError, match="cross_entropy"):
        net.loss_and_grad(u, one_hot, m, loss="xent")


# Three classes: the sign of a pulse on steps 2..6 (class 0 negative, 2 positive),
# or no pulse (class 1); reported on the last 6 steps, only those scored.
STEPS = 20


def class_batch(size, seed):
    rng = np.random.default_rng(seed)
    labels_trial = rng.integers(0, 3, size)
    inputs = np.zeros((STEPS, size, 1))
    inputs[2:7, :, 0] = (labels_trial - 1.0) * rng.uniform(0.5, 1.0, size)
    labels = np.ones((STEPS, size), dtype=np.int64)
    labels[-6:] = labels_trial
    mask = np.zeros((STEPS, size))
    mask[-6:] = 1.0
    return {"inputs": inputs, "targets": labels, "mask": mask, "classes": 3}


CONFIG = {
    "model": {"units": 16, "dt": 10.0, "tau": 30.0, "gain": 0.9},
    "train": {"iterations": 200, "batch": 32, "learning_rate": 0.02, "validate_every": 100,
              "validation_trials": 128, "checkpoint_every": 0, "seed": 3, "loss": "cross_entropy"},
}


def test_cross_entropy_training_on_labels_learns_the_classes():
    (rec,) = rnnlab.train(CONFIG, data=class_batch(512, 0), progress=False)
    assert rec.status == "trained"
    # Fresh trials: the argmax of the outputs over the scored steps is the class.
    fresh = class_batch(300, 99)
    y = rec.trained.simulate(fresh["inputs"]).outputs[-6:]
    accuracy = float((y.argmax(axis=2) == fresh["targets"][-6:]).all(axis=0).mean())
    assert accuracy >= 0.9
    assert rec.curves["val_accuracy"][-1] >= 0.9  # the argmax rule, on the validation trials
    assert rec.curves["val_loss"][-1] < 0.5 * rec.curves["val_loss"][0]
    # The same from a callable returning the dict, with a (T, B, O) mask.
    def per_output(size, seed):
        d = class_batch(size, seed)
        d["mask"] = np.repeat(d["mask"][:, :, None], 3, axis=2)
        return d
    (again,) = rnnlab.train(CONFIG, data=per_output, progress=False, overrides=["train.iterations=100"])
    assert again.status == "trained" and again.trained.outputs == 3


def test_cross_entropy_refuses_targets_that_are_not_classes():
    inputs = np.zeros((STEPS, 8, 1))
    signs = np.ones((STEPS, 8, 2))
    signs[:, :, 1] = -1.0  # +-1 targets of an MSE task
    with pytest.raises(rnnlab.InputError, match="train.loss"):
        rnnlab.train(CONFIG, data=(inputs, signs), progress=False)
    with pytest.raises(rnnlab.InputError, match="labels must be classes"):
        rnnlab.train(CONFIG, data={"inputs": inputs, "targets": -np.ones((STEPS, 8), dtype=int)}, progress=False)
    def no_classes(size, seed):
        d = class_batch(size, seed)
        del d["classes"]
        return d
    with pytest.raises(rnnlab.InputError, match="classes"):
        rnnlab.train(CONFIG, data=no_classes, progress=False)
