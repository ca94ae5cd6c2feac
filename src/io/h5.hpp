#pragma once
// Small helpers over the HDF5 C++ API, so that the rest of the code reads as
// "write this matrix here". Matrices are stored in the shape they have in
// Eigen (rows x cols) in HDF5's row-major order, so h5py shows W[i, j] at
// [i, j]. Complex vectors are stored as compound {r, i} of float64, which
// h5py reads as complex128. Callers hold h5_lock() (io/experiment_file.hpp).
#include <H5Cpp.h>

#include <Eigen/Dense>
#include <string>
#include <vector>

namespace rnnlab::h5 {

// Opens the group at `path` (slash-separated, relative to `parent`), creating missing ones.
H5::Group require_group(H5::Group& parent, const std::string& path);
bool exists(const H5::Group& parent, const std::string& path);

void write_matrix(H5::Group& g, const std::string& name, const Eigen::MatrixXd& m);
void write_vector(H5::Group& g, const std::string& name, const Eigen::VectorXd& v);
void write_vector(H5::Group& g, const std::string& name, const std::vector<double>& v);
void write_complex_vector(H5::Group& g, const std::string& name, const Eigen::VectorXcd& v);
void write_strings(H5::Group& g, const std::string& name, const std::vector<std::string>& v);

Eigen::MatrixXd read_matrix(const H5::Group& g, const std::string& name);  // 1-D data -> n x 1
Eigen::VectorXd read_vector(const H5::Group& g, const std::string& name);
Eigen::VectorXcd read_complex_vector(const H5::Group& g, const std::string& name);
std::vector<std::string> read_strings(const H5::Group& g, const std::string& name);

// Attributes on a group or file (replaced if present).
void write_attr(H5::H5Object& obj, const std::string& name, const std::string& value);
void write_attr(H5::H5Object& obj, const std::string& name, double value);
void write_attr(H5::H5Object& obj, const std::string& name, long value);
bool has_attr(const H5::H5Object& obj, const std::string& name);
std::string read_string_attr(const H5::H5Object& obj, const std::string& name);
double read_double_attr(const H5::H5Object& obj, const std::string& name);
long read_long_attr(const H5::H5Object& obj, const std::string& name);

}  // namespace rnnlab::h5
