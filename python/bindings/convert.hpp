#pragma once
// NumPy <-> Eigen for the binding. Batch arrays are (steps, trials, features)
// in C order on the Python side; that memory IS the rnnlab layout
// features x (steps * trials) with column t * trials + b (tasks/task.hpp), so
// a batch crosses the boundary as one contiguous copy, no transposition.
//
// Shape checks with friendly messages live in the pure-Python layer
// (rnnlab/_check.py); the checks here are the last line of defence for
// callers of _core itself, and raise rnnlab.InputError like any C++ InputError.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

#include "util/error.hpp"

namespace rnnlab::py_bind {

namespace py = pybind11;
using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;

// (T, B, F) array -> F x (T*B) matrix of scalar S.
template <class S>
Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic> batch_to_matrix(const Array& a, const std::string& name,
                                                                   long features = -1) {
  if (a.ndim() != 3)
    throw InputError(name + " must have shape (steps, trials, features), got " + std::to_string(a.ndim()) +
                     " dimensions");
  if (features >= 0 && a.shape(2) != features)
    throw InputError(name + " must have shape (steps, trials, " + std::to_string(features) + "), got (" +
                     std::to_string(a.shape(0)) + ", " + std::to_string(a.shape(1)) + ", " +
                     std::to_string(a.shape(2)) + ")");
  Eigen::Map<const Eigen::MatrixXd> m(a.data(), a.shape(2), a.shape(0) * a.shape(1));
  return m.template cast<S>();
}

// F x (T*B) matrix -> (T, B, F) float64 array.
template <class Derived>
Array matrix_to_batch(const Eigen::MatrixBase<Derived>& m, long steps, long trials) {
  Array out({steps, trials, static_cast<long>(m.rows())});
  Eigen::Map<Eigen::MatrixXd>(out.mutable_data(), m.rows(), steps * trials) = m.template cast<double>();
  return out;
}

// Mask (T, B) -> row vector of T*B.
template <class S>
Eigen::Matrix<S, 1, Eigen::Dynamic> mask_to_row(const Array& a, long steps, long trials) {
  if (a.ndim() != 2 || a.shape(0) != steps || a.shape(1) != trials)
    throw InputError("mask must have shape (steps, trials) = (" + std::to_string(steps) + ", " +
                     std::to_string(trials) + ")");
  Eigen::Map<const Eigen::RowVectorXd> m(a.data(), steps * trials);
  return m.template cast<S>();
}

}  // namespace rnnlab::py_bind
