"""rnnlab.Network: one rate network as NumPy arrays, run and differentiated in C++.

The model (README, docs/model.md):

    x_t = (1 - a) x_{t-1} + a (W_rec r_{t-1} + W_in u_t + b) + noise_t,   r_t = phi(x_t)
    y_t = W_out r_t + b_out,   x_{-1} = x0,   a = alpha = dt / tau

A network trained with train.learn_tau has one time constant per unit
(`unit_tau`, ms): then a is the vector a_i = dt / tau_i, applied unit by unit,
and `alpha` is dt / mean(tau), the reference for "per tau" units.

W[i, j] is the weight FROM unit j TO unit i. Batches are NumPy arrays of shape
(T, B, features): time, trials, features (C order; this is the C++ layout, so
no copy is transposed).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _core
from ._check import array
from ._core import InputError

ACTIVATIONS = tuple(_core.activation_names())  # the one list, src/model/activation.hpp
ARRAYS = ("w_in", "w_rec", "w_out", "b", "b_out", "x0")


@dataclass
class Simulation:
    """A noiseless (or noisy) run: every array is (T, B, ·)."""

    states: np.ndarray   # (T, B, N): x_t
    rates: np.ndarray    # (T, B, N): r_t = phi(x_t)
    outputs: np.ndarray  # (T, B, O): y_t


class Network:
    """A rate network from its (effective) weights.

    Parameters, N units, I inputs, O outputs:
        w_in (N, I), w_rec (N, N), w_out (O, N); b (N,), b_out (O,), x0 (N,)
        (zeros when None); alpha = dt / tau in (0, 1] (1: Keras/PyTorch);
        dt in ms (for frequencies); activation one of tanh, relu, softplus,
        sigmoid, retanh, linear; sign (N,) of +1/-1 under Dale's law, or None;
        unit_tau (N,) in ms, one time constant per unit (train.learn_tau), each
        >= dt, or None: every unit has dt / alpha. Given, it sets alpha to
        dt / mean(unit_tau); all equal, it is the one-tau network.

    Optional metadata, set by load() and train(): mask_rec (N, N) connectivity
    mask, config (the TOML text it was trained with), sigma_rec / sigma_in (the
    training noise, used by simulate(noise=True)).
    """

    def __init__(self, w_in, w_rec, w_out, b=None, b_out=None, x0=None, alpha=1.0, dt=1.0,
                 activation="tanh", sign=None, *, unit_tau=None, mask_rec=None, config="", sigma_rec=0.0,
                 sigma_in=0.0):
        w_rec = array("w_rec", w_rec, (None, None), ("N", "N"))
        n = w_rec.shape[0]
        self.w_rec = array("w_rec", w_rec, (n, n), ("N", "N"))
        self.w_in = array("w_in", w_in, (n, None), ("N", "I"))
        self.w_out = array("w_out", w_out, (None, n), ("O", "N"))
        o = self.w_out.shape[0]
        self.b = np.zeros(n) if b is None else array("b", b, (n,), ("N",))
        self.b_out = np.zeros(o) if b_out is None else array("b_out", b_out, (o,), ("O",))
        self.x0 = np.zeros(n) if x0 is None else array("x0", x0, (n,), ("N",))
        self.sign = None if sign is None else array("sign", sign, (n,), ("N",))
        self.mask_rec = None if mask_rec is None else array("mask_rec", mask_rec, (n, n), ("N", "N"))
        alpha, dt = float(alpha), float(dt)
        if not 0.0 < alpha <= 1.0:
            raise InputError(f"alpha = {alpha} is out of range: must be in (0, 1] (alpha = dt / tau)")
        if not dt > 0.0:
            raise InputError(f"dt = {dt} is out of range: must be > 0 (ms per step)")
        if activation not in ACTIVATIONS:
            raise InputError(f"activation = {activation!r} is not known: must be one of {', '.join(ACTIVATIONS)}")
        self.alpha, self.dt, self.activation = alpha, dt, activation
        self.unit_tau = None
        if unit_tau is not None:
            tau = array("unit_tau", unit_tau, (n,), ("N",))
            if not (np.all(np.isfinite(tau)) and np.all(tau >= dt)):
                raise InputError(f"unit_tau: every time constant must be finite and >= dt = {dt:g} ms "
                                 "(a_i = dt / tau_i in (0, 1])")
            if np.all(tau == tau[0]):  # one tau: the scalar network, as C++ keeps it
                self.alpha = dt / float(tau[0])
            else:
                self.unit_tau = tau
                self.alpha = dt / float(tau.mean())
        self.config = config or ""
        self.sigma_rec, self.sigma_in = float(sigma_rec), float(sigma_in)

    # ---- shapes -------------------------------------------------------------
    @property
    def units(self) -> int:
        return self.w_rec.shape[0]

    @property
    def inputs(self) -> int:
        return self.w_in.shape[1]

    @property
    def outputs(self) -> int:
        return self.w_out.shape[0]

    @property
    def tau(self) -> float:
        """ms; dt / alpha (with one tau per unit: their mean)."""
        return self.dt / self.alpha

    @property
    def unit_alpha(self) -> np.ndarray:
        """(N,): a_i = dt / tau_i, alpha repeated for a one-tau network."""
        if self.unit_tau is None:
            return np.full(self.units, self.alpha)
        return self.dt / self.unit_tau

    def __repr__(self) -> str:
        dale = ", Dale" if self.sign is not None else ""
        taus = ", one tau per unit" if self.unit_tau is not None else ""
        return (f"Network(N={self.units}, I={self.inputs}, O={self.outputs}, {self.activation}, "
                f"alpha={self.alpha:g}, dt={self.dt:g} ms{taus}{dale})")

    def copy(self) -> "Network":
        return Network(**{k: getattr(self, k).copy() for k in ARRAYS}, alpha=self.alpha, dt=self.dt,
                       activation=self.activation, sign=None if self.sign is None else self.sign.copy(),
                       unit_tau=None if self.unit_tau is None else self.unit_tau.copy(), mask_rec=self.mask_rec, config=self.config, sigma_rec=self.sigma_rec,
                       sigma_in=self.sigma_in)

    def _as_dict(self) -> dict:
        d = {k: getattr(self, k) for k in ARRAYS}
        d.update(sign=self.sign, alpha=self.alpha, dt=self.dt, activation=self.activation, unit_tau=self.unit_tau)
        return d

    @classmethod
    def _from_dict(cls, d: dict, **meta) -> "Network":
        return cls(**{k: d[k] for k in ARRAYS}, alpha=d["alpha"], dt=d["dt"], activation=d["activation"],
                   sign=d.get("sign"), unit_tau=d.get("unit_tau"), **meta)

    # ---- importers ----------------------------------------------------------
    @classmethod
    def from_keras(cls, path, dt: float = 1.0, tau: float = 1.0) -> "Network":
        """A Keras model saved whole (SimpleRNN + Dense readout, Keras 2 or 3 HDF5).
        W_in = K^T, W_rec = R^T, W_out = D^T; alpha = dt / tau (default 1, Keras' own map)."""
        return cls._from_dict(_core.import_keras(str(path), dt, tau)["trained"])

    @classmethod
    def from_torch(cls, source, dt: float | None = None, tau: float | None = None,
                   activation: str | None = None) -> "Network":
        """From PyTorch: an nn.Module or an nn.RNN-style state_dict (tensors or arrays).

        A module may be the `RateRNN` of `to_torch()` (taken back exactly, with its
        alpha, dt and activation), an `nn.RNN`, or a module holding one nn.RNN and
        at most one nn.Linear readout; the activation is then the nn.RNN's own
        nonlinearity. GRU, LSTM, several layers and bidirectional networks are
        refused with a message: a rate network cannot represent them.

        A state_dict has weight_ih_l0 (N, I), weight_hh_l0 (N, N), optional
        bias_ih_l0 + bias_hh_l0 (summed into b), optional readout weight/bias under
        weight_out/bias_out, fc.*, linear.*, readout.*, output.* or out.* (O, N) /
        (O,), optional x0 (N,); a prefix before a name ("rnn.weight_hh_l0") is
        accepted. A state_dict does not say its nonlinearity: `activation`
        (default tanh) must be the one the network was trained with. Without a
        readout, W_out is the identity on the units (O = N), so outputs are the
        rates. dt and tau default to 1 (alpha = 1, PyTorch's own map).
        """
        from . import torch_export

        module_dt = module_tau = None
        if hasattr(source, "state_dict") and hasattr(source, "modules"):  # an nn.Module
            source, activation, module_dt, module_tau = torch_export.module_to_state(source, activation)
        unit_tau = None
        if isinstance(module_tau, np.ndarray):  # a RateRNN with one tau per unit
            unit_tau, module_tau = module_tau, float(module_tau.mean())
        dt = float(dt if dt is not None else (module_dt or 1.0))
        tau = float(tau if tau is not None else (module_tau or 1.0))
        arrays = {str(k): _to_numpy(v) for k, v in dict(source).items()}
        # The same rules as `rnnlab import --torch` (src/io/import.cpp): names,
        # shapes, the readout, refusals of GRU/LSTM/extra layers.
        d = _core.network_from_arrays(arrays, True, dt, tau, activation or "tanh")
        if unit_tau is not None:
            d["unit_tau"] = unit_tau
        return cls._from_dict(d)

    # ---- export -------------------------------------------------------------
    def to_torch(self, dtype=None):
        """This network as a PyTorch nn.Module (rnnlab.torch_export.RateRNN), float64
        unless `dtype` says otherwise: forward(inputs (T, B, I)) -> (outputs (T, B, O),
        states (T, B, N)), equal to simulate() to float64 roundoff; its autograd
        gradients equal loss_and_grad()'s. Needs torch."""
        from . import torch_export
        return torch_export.to_torch(self, dtype)

    def state_dict(self) -> dict:
        """The weights in nn.RNN naming (NumPy arrays): weight_ih_l0, weight_hh_l0,
        bias_ih_l0 (= b), bias_hh_l0 (zeros), weight_out, bias_out, x0. from_torch
        takes it back (give it dt, tau and the activation)."""
        from . import torch_export
        return torch_export.state_dict(self)

    # ---- running ------------------------------------------------------------
    def _batch(self, name, value, features, letter):
        return array(name, value, (None, None, features), ("T", "B", letter))

    def simulate(self, inputs, noise: bool = False, seed: int = 0, sigma_rec: float | None = None,
                 sigma_in: float | None = None) -> Simulation:
        """Run on `inputs` (T, B, I) -> Simulation with states, rates (T, B, N), outputs (T, B, O).

        noise=False (default) is the noiseless map used by every analysis.
        noise=True adds the training noise: sigma_in N(0,1) to each input and
        sqrt(2 a_i) sigma_rec N(0,1) to each unit per step (sigma_* default to
        the network's, from its config), drawn with numpy.random.default_rng(seed).
        """
        u = self._batch("inputs", inputs, self.inputs, "I")
        rec_noise = None
        if noise:
            s_rec = self.sigma_rec if sigma_rec is None else float(sigma_rec)
            s_in = self.sigma_in if sigma_in is None else float(sigma_in)
            if s_rec <= 0 and s_in <= 0:
                raise InputError("simulate(noise=True) needs sigma_rec > 0 or sigma_in > 0 "
                                 "(this network has none from a config; pass them)")
            rng = np.random.default_rng(seed)
            if s_in > 0:
                u = u + s_in * rng.standard_normal(u.shape)
            if s_rec > 0:
                rec_noise = np.sqrt(2 * self.unit_alpha) * s_rec * rng.standard_normal(u.shape[:2] + (self.units,))
        return Simulation(**_core.simulate(self._as_dict(), u, rec_noise))

    def loss_and_grad(self, inputs, targets, mask=None, l2_weights: float = 0.0, l2_rates: float = 0.0,
                      loss: str = "mse"):
        """The trainer's loss and its gradient, noiseless, in float64.

        inputs (T, B, I), targets (T, B, O), mask (T, B) or per output (T, B, O)
        (ones when None). loss = "mse" or "cross_entropy" (train.loss):
        mse = sum m (y - target)^2 / sum m over (t, b, o), a (T, B) mask counting
        for every output; cross_entropy = -sum_{t,b} m_tb sum_o target log softmax(y)_o / sum m.
        Plus l2_weights * mean(W^2 over W_in, W_rec, W_out) + l2_rates * mean(r^2)
        (docs/model.md "Training, in brief").
        Returns (loss, grads): grads maps each of w_in, w_rec, w_out, b, b_out, x0
        to dloss/d(array), same shape, and, for a network with one tau per unit,
        unit_tau to dloss/dtau_i (N,), per ms. These are gradients with respect to the
        effective weights (this Network's arrays); under Dale's law the trainer
        chains them further to its unconstrained parameters.
        """
        u = self._batch("inputs", inputs, self.inputs, "I")
        t, bsz = u.shape[:2]
        y = array("targets", targets, (t, bsz, self.outputs), ("T", "B", "O"))
        m = np.ones((t, bsz)) if mask is None else np.asarray(mask)
        if m.ndim == 3 and m.shape[2:] == (1,):
            m = m[:, :, 0]
        if m.ndim == 3:
            m = array("mask", m, (t, bsz, self.outputs), ("T", "B", "O"))
        else:
            m = array("mask", m, (t, bsz), ("T", "B"))
        loss, grads, _ = _core.loss_and_grad(self._as_dict(), u, y, m, float(l2_weights), float(l2_rates), str(loss))
        return float(loss), grads


def _to_numpy(v):
    if hasattr(v, "detach"):  # a torch tensor
        v = v.detach().cpu().numpy()
    return np.asarray(v, dtype=np.float64)


def from_keras(path, dt: float = 1.0, tau: float = 1.0) -> Network:
    return Network.from_keras(path, dt=dt, tau=tau)


def from_torch(source, dt: float | None = None, tau: float | None = None, activation: str | None = None) -> Network:
    return Network.from_torch(source, dt=dt, tau=tau, activation=activation)
