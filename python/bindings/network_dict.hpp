#pragma once
// A Network crosses the boundary as a plain dict of NumPy arrays and numbers
// (the pure-Python rnnlab.Network builds and reads it), so the Python class can
// stay a simple, picklable holder of arrays and C++ never owns Python objects.
//
//   {"w_in": (N, I), "w_rec": (N, N), "w_out": (O, N), "b": (N,), "b_out": (O,),
//    "x0": (N,), "sign": (N,) or None, "alpha": float, "dt": float, "activation": str,
//    "unit_tau": (N,) or None (one time constant per unit, ms)}
#include <pybind11/pybind11.h>

#include "io/experiment_file.hpp"
#include "model/network.hpp"

namespace rnnlab::py_bind {

Network network_from_dict(const pybind11::dict& d);
pybind11::dict network_to_dict(const Network& net);

// A training or file record: seed, status, status_reason, origin, iterations,
// initial (dict or None when empty), trained, mask_rec (or None), curves (dict of arrays).
pybind11::dict record_to_dict(const NetworkRecord& rec);

}  // namespace rnnlab::py_bind
