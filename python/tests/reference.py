"""An independent NumPy implementation of the model equation (docs/model.md) and
the trainer's loss, for checking the C++ core. Deliberately plain loops."""
import numpy as np

PHI = {
    "tanh": np.tanh,
    "linear": lambda x: x,
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "softplus": lambda x: np.log1p(np.exp(x)),
    "relu": lambda x: np.maximum(x, 0.0),
    "retanh": lambda x: np.maximum(np.tanh(x), 0.0),
}


def simulate(w_in, w_rec, w_out, b, b_out, x0, alpha, activation, inputs):
    """x_t = (1-a) x_{t-1} + a (W_rec phi(x_{t-1}) + W_in u_t + b), y_t = W_out phi(x_t) + b_out."""
    phi = PHI[activation]
    steps, trials, _ = inputs.shape
    n = w_rec.shape[0]
    states = np.zeros((steps, trials, n))
    outputs = np.zeros((steps, trials, w_out.shape[0]))
    for k in range(trials):
        x = x0.copy()
        for t in range(steps):
            x = (1 - alpha) * x + alpha * (w_rec @ phi(x) + w_in @ inputs[t, k] + b)
            states[t, k] = x
            outputs[t, k] = w_out @ phi(x) + b_out
    return states, outputs


def masked_mse_of(outputs, targets, mask):
    """sum_{t,b} m sum_o (y - target)^2 / (O sum m): the trainer's loss, as NumPy
    or as a torch tensor that autograd can differentiate (the same operations)."""
    err = ((outputs - targets) ** 2).sum(2)
    return (err * mask).sum() / (outputs.shape[2] * mask.sum())


def autograd_and_hand_gradients(net, u, y, m):
    """The masked MSE of net on (u, y, m) differentiated twice: by PyTorch's
    autograd through net.to_torch() and by the hand-written backward pass.
    Returns (autograd loss, the module holding .grad, hand loss, hand grads)."""
    import torch  # only the tests that compare against autograd need it
    module = net.to_torch()
    out, _ = module(torch.from_numpy(u))
    loss_t = masked_mse_of(out, torch.from_numpy(y), torch.from_numpy(m))
    loss_t.backward()
    loss, grads = net.loss_and_grad(u, y, m)
    return loss_t.item(), module, loss, grads


def masked_mse(outputs, targets, mask):
    return float(masked_mse_of(outputs, targets, mask))
