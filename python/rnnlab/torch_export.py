"""The way out to PyTorch: a Network as an nn.Module, and back.

`Network.to_torch()` builds a `RateRNN`, an `nn.Module` that runs the same map
as `Network.simulate` (docs/model.md):

    x_t = (1 - a) x_{t-1} + a (W_rec phi(x_{t-1}) + W_in u_t + b),   x_{-1} = x0
    y_t = W_out phi(x_t) + b_out,   a = alpha = dt / tau

in float64 by default, so its outputs equal simulate()'s to float64 roundoff
and its autograd gradients equal `Network.loss_and_grad`. Its parameters are
the effective weights (under Dale's law the signs are already in W_rec), named
as in rnnlab files: w_in, w_rec, w_out, b, b_out, x0. A network with one time
constant per unit (train.learn_tau) has a seventh parameter, unit_tau (N,) in
ms, and runs a_i = dt / unit_tau_i unit by unit, so autograd gives dL/dtau_i
too (Network.loss_and_grad's "unit_tau").

`Network.from_torch` takes such a module back exactly, an `nn.RNN` (or a module
holding one nn.RNN and, optionally, one nn.Linear readout) with its
nonlinearity, or an nn.RNN-style state_dict; what it cannot represent (GRU,
LSTM, several layers, bidirectional) is refused with a message that says so.

torch is imported only when these functions are called: the rest of rnnlab
does not need it.
"""
from __future__ import annotations

import numpy as np

from ._core import InputError

# Activations that PyTorch's nn.RNN has, by its `nonlinearity` name.
_TORCH_NONLINEARITIES = ("tanh", "relu")


def _phi(torch, activation: str):
    """phi as a torch function, the same formulas as src/model/activation.hpp."""
    table = {
        "tanh": torch.tanh,
        "relu": torch.relu,
        # log(1 + e^x) written as in C++ so large |x| does not overflow
        "softplus": lambda x: torch.clamp(x, min=0) + torch.log1p(torch.exp(-torch.abs(x))),
        "sigmoid": torch.sigmoid,
        "retanh": lambda x: torch.clamp(torch.tanh(x), min=0),
        "linear": lambda x: x,
    }
    return table[activation]


def to_torch(net, dtype=None):
    """A `RateRNN` nn.Module with `net`'s weights (float64 unless `dtype` says otherwise)."""
    import torch

    class RateRNN(torch.nn.Module):
        """rnnlab's leaky rate network. forward(inputs (T, B, I)) -> (outputs (T, B, O), states (T, B, N));
        optional rec_noise (T, B, N) is added to x_t each step, as in the C++ trainer."""

        def __init__(self):
            super().__init__()
            dt_ = torch.float64 if dtype is None else dtype
            for name in ("w_in", "w_rec", "w_out", "b", "b_out", "x0"):
                value = torch.tensor(np.asarray(getattr(net, name)), dtype=dt_)
                self.register_parameter(name, torch.nn.Parameter(value))
            self.alpha = float(net.alpha)  # with unit_tau: dt / mean(tau), the reference
            self.dt = float(net.dt)
            if getattr(net, "unit_tau", None) is not None:
                self.register_parameter("unit_tau", torch.nn.Parameter(
                    torch.tensor(np.asarray(net.unit_tau), dtype=dt_)))
            else:
                self.unit_tau = None
            self.activation = net.activation
            self._phi = _phi(torch, net.activation)

        def extra_repr(self) -> str:
            return (f"units={self.w_rec.shape[0]}, inputs={self.w_in.shape[1]}, outputs={self.w_out.shape[0]}, "
                    f"activation={self.activation}, alpha={self.alpha:g}, dt={self.dt:g} ms")

        def forward(self, inputs, rec_noise=None):
            if inputs.dim() != 3 or inputs.shape[2] != self.w_in.shape[1]:
                raise ValueError(f"inputs must be (T, B, {self.w_in.shape[1]}), got {tuple(inputs.shape)}")
            # The leak: one number, or a_i = dt / tau_i per unit (broadcast over the last axis).
            a = self.alpha if self.unit_tau is None else self.dt / self.unit_tau
            # The input drive of every step at once, then the recurrence step by
            # step over a list (indexing a (T, B, N) tensor that requires grad
            # inside the loop would cost O(T^2) in autograd).
            drive = (a * (inputs @ self.w_in.T + self.b)).unbind(0)
            noise = rec_noise.unbind(0) if rec_noise is not None else None
            x = self.x0.expand(inputs.shape[1], -1)
            states = []
            for t, d in enumerate(drive):
                x = (1 - a) * x + a * (self._phi(x) @ self.w_rec.T) + d
                if noise is not None:
                    x = x + noise[t]
                states.append(x)
            states = torch.stack(states)
            outputs = self._phi(states) @ self.w_out.T + self.b_out
            return outputs, states

    return RateRNN()


def state_dict(net) -> dict:
    """nn.RNN naming, as NumPy arrays: weight_ih_l0 (N, I), weight_hh_l0 (N, N),
    bias_ih_l0 (N,) = b, bias_hh_l0 (N,) = 0, weight_out (O, N), bias_out (O,), x0 (N,).
    `Network.from_torch(net.state_dict(), dt=..., tau=..., activation=...)` gives `net` back."""
    n = net.units
    return {"weight_ih_l0": net.w_in.copy(), "weight_hh_l0": net.w_rec.copy(), "bias_ih_l0": net.b.copy(),
            "bias_hh_l0": np.zeros(n), "weight_out": net.w_out.copy(), "bias_out": net.b_out.copy(),
            "x0": net.x0.copy()}


def _to_array(tensor):
    return tensor.detach().cpu().numpy().astype(np.float64)


def module_to_state(module, activation):
    """From an nn.Module: (state_dict, activation, dt, tau or None; tau (N,) for a RateRNN with unit_tau). Accepts rnnlab's
    RateRNN, an nn.RNN, or a module holding exactly one nn.RNN (and at most one
    nn.Linear readout); refuses GRU/LSTM, several layers, bidirectional and
    nonlinearities rnnlab does not have, with a message that names the problem."""
    import torch

    if hasattr(module, "w_rec") and hasattr(module, "alpha") and hasattr(module, "activation"):
        if activation is not None and activation != module.activation:
            raise InputError(f"activation = {activation!r} contradicts the module's own {module.activation!r}")
        sd = {k: v for k, v in module.state_dict().items()}
        return ({"weight_ih_l0": sd["w_in"], "weight_hh_l0": sd["w_rec"], "bias_ih_l0": sd["b"],
                 "weight_out": sd["w_out"], "bias_out": sd["b_out"], "x0": sd["x0"]},
                module.activation, module.dt,
                # one tau per unit comes back as the (N,) array, the rest as the one tau
                module.dt / module.alpha if module.unit_tau is None else _to_array(module.unit_tau))
    for kind in (torch.nn.GRU, torch.nn.LSTM, torch.nn.GRUCell, torch.nn.LSTMCell):
        if any(isinstance(m, kind) for m in module.modules()):
            raise InputError(f"the module holds a {kind.__name__}: rnnlab networks are plain rate networks "
                             "(nn.RNN); gated units cannot be represented")
    rnns = [m for m in module.modules() if isinstance(m, torch.nn.RNN)]
    if len(rnns) != 1:
        raise InputError(f"the module holds {len(rnns)} nn.RNN layers: from_torch takes a module with exactly one")
    rnn = rnns[0]
    if rnn.num_layers != 1:
        raise InputError(f"the nn.RNN has num_layers = {rnn.num_layers}: only one-layer networks can be represented")
    if rnn.bidirectional:
        raise InputError("the nn.RNN is bidirectional: rnnlab networks run forward in time only")
    if rnn.nonlinearity not in _TORCH_NONLINEARITIES:  # pragma: no cover (torch allows only these two today)
        raise InputError(f"the nn.RNN's nonlinearity {rnn.nonlinearity!r} is not one rnnlab has")
    if activation is not None and activation != rnn.nonlinearity:
        raise InputError(f"activation = {activation!r} contradicts the nn.RNN's nonlinearity "
                         f"{rnn.nonlinearity!r}; leave activation out to take the module's")
    sd = dict(rnn.state_dict())  # weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0
    linears = [m for m in module.modules() if isinstance(m, torch.nn.Linear)]
    if len(linears) > 1:
        raise InputError(f"the module holds {len(linears)} nn.Linear layers: at most one (the readout) "
                         "can be represented")
    if linears:
        sd["weight_out"] = linears[0].weight
        if linears[0].bias is not None:
            sd["bias_out"] = linears[0].bias
    return sd, rnn.nonlinearity, None, None
