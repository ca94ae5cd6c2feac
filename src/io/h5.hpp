#pragma once
// Small helpers over the HDF5 C++ API, so that the rest of the code reads as
// "write this matrix here". Matrices are stored in the shape they have in
// Eigen (rows x cols) in HDF5's row-major order, so h5py shows W[i, j] at
// [i, j]. Complex vectors are stored as compound {r, i} of float64, which
// h5py reads as complex128. Callers hold h5_lock() (io/experiment_file.hpp).
#include <H5Cpp.h>

#include <Eigen/Dense>
#include <complex>
#include <functional>
#include <string>
#include <vector>

namespace rnnlab::h5 {

// What an HDF5 exception says, for a message that names the file: the failing
// call and its detail, or the innermost message of HDF5's error stack.
std::string message(const H5::Exception& e);

// Closes `file` (flushing it) exactly once. If the flush fails (a full disk),
// it throws, and neither `file` nor the library closes the id again: a second
// close of a half-closed file is what crashes libhdf5. Files written should
// be closed through this, inside the try that removes their temporary.
void close_once(H5::H5File& file);
// The same on a failure path (the file is being thrown away): errors ignored.
void abandon(H5::H5File& file) noexcept;

// Files we write are built in memory (HDF5's core driver, no backing
// store) and written to disk in one piece by save_image: libhdf5 then never
// meets a failing disk, whose write errors leave it with half-closed objects
// that crash it later (at exit, or on the next close). A full disk is a plain
// write error here, with the temporary removed by the caller.
//
// A new, empty file in memory; `name` only labels it in messages.
H5::H5File create_in_memory(const std::string& name);
// The file at `path`, read into memory and editable there; `path` is not changed.
H5::H5File open_in_memory(const std::string& path);
// Writes the in-memory `file` to `path` (created or truncated), checking every
// write and the sync, and closes `file` exactly once (whatever happens).
// Throws Error naming `path` and the system's reason.
void save_image(H5::H5File& file, const std::string& path);
// The one way files are written: `fill` writes into the in-memory `file`,
// then save_image writes it to `path`. If `fill` throws, the file is closed
// once (abandon), nothing is written, and the exception goes on.
void fill_and_save(H5::H5File& file, const std::function<void(H5::H5File&)>& fill, const std::string& path);

// Opens the group at `path` (slash-separated, relative to `parent`), creating missing ones.
H5::Group require_group(H5::Group& parent, const std::string& path);
bool exists(const H5::Group& parent, const std::string& path);

void write_matrix(H5::Group& g, const std::string& name, const Eigen::MatrixXd& m);
void write_vector(H5::Group& g, const std::string& name, const Eigen::VectorXd& v);
void write_vector(H5::Group& g, const std::string& name, const std::vector<double>& v);
// The same, stored as float32 when every value is exactly a float32 (weights
// trained in float32 are: Weights<float> cast to double), else as float64.
// Nothing is lost either way: the readers below give back the same doubles,
// bit for bit, and h5py reads a float32 dataset with the same f[...][()].
void write_matrix_compact(H5::Group& g, const std::string& name, const Eigen::MatrixXd& m);
void write_vector_compact(H5::Group& g, const std::string& name, const Eigen::VectorXd& v);
void write_complex_vector(H5::Group& g, const std::string& name, const Eigen::VectorXcd& v);
void write_strings(H5::Group& g, const std::string& name, const std::vector<std::string>& v);

// The dimensions of the dataset `name` as declared in the file (empty for a scalar).
std::vector<hsize_t> shape(const H5::Group& g, const std::string& name);
// "(11, 8)": a shape as messages write it.
std::string shape_text(const std::vector<hsize_t>& dims);
// "file.h5:/networks/1/trained/w_rec": where a dataset or attribute is, for messages.
std::string where(const H5::H5Location& loc, const std::string& name);

// The readers below refuse (InputError) a dataset whose declared size would
// not fit in this machine's memory before allocating anything for it, so a
// corrupted or hostile size is a message, not std::bad_alloc.
Eigen::MatrixXd read_matrix(const H5::Group& g, const std::string& name);  // 1-D data -> n x 1
Eigen::VectorXd read_vector(const H5::Group& g, const std::string& name);
Eigen::VectorXcd read_complex_vector(const H5::Group& g, const std::string& name);
std::vector<std::string> read_strings(const H5::Group& g, const std::string& name);

// Reads the metadata of every object in the file at `path`: every attribute
// (values included) and every string dataset, and the type and shape of the
// other datasets, ignoring HDF5's errors. For a check run in a child process
// (io/experiment_file.cpp): on a few damaged files libhdf5 itself crashes
// (SIGSEGV while reading a variable-length string from a corrupted global
// heap, in 1.10), and a crash in the child is a message in the parent.
void walk_metadata(const std::string& path);

// Attributes on a group or file (replaced if present).
void write_attr(H5::H5Object& obj, const std::string& name, const std::string& value);
void write_attr(H5::H5Object& obj, const std::string& name, double value);
void write_attr(H5::H5Object& obj, const std::string& name, long value);
bool has_attr(const H5::H5Object& obj, const std::string& name);
std::string read_string_attr(const H5::H5Object& obj, const std::string& name);
double read_double_attr(const H5::H5Object& obj, const std::string& name);
long read_long_attr(const H5::H5Object& obj, const std::string& name);

}  // namespace rnnlab::h5

namespace rnnlab::h5 {

// ---- Arrays of any rank (row-major, as h5py shows them), for the result
// schemas (io/result_file.hpp). Real arrays are stored like write_matrix's
// (compressed when large and worth it).
void write_array(H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims, const double* data);
void write_array(H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims, const long long* data);
void write_flags(H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims, const unsigned char* data);
void write_array(H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims,
                 const std::complex<double>* data);
// The class of the dataset `name` (H5T_FLOAT, H5T_INTEGER, H5T_COMPOUND, H5T_STRING, ...).
H5T_class_t dataset_class(const H5::Group& g, const std::string& name);
// Numeric datasets read as double or int64 (integers read as double are
// exact up to 2^53), complex ones as complex: the values in row-major order;
// `dims` receives the shape. Sizes that would not fit in memory are refused.
std::vector<double> read_doubles(const H5::Group& g, const std::string& name, std::vector<hsize_t>& dims);
std::vector<long long> read_integers(const H5::Group& g, const std::string& name, std::vector<hsize_t>& dims);
std::vector<std::complex<double>> read_complexes(const H5::Group& g, const std::string& name,
                                                 std::vector<hsize_t>& dims);
// The class of the attribute `name` (H5T_FLOAT, H5T_INTEGER, H5T_STRING, ...).
H5T_class_t attr_class(const H5::H5Object& obj, const std::string& name);

}  // namespace rnnlab::h5
