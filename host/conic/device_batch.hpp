#pragma once
// How the GPU backend cuts a batch so that each device batch fits the device's free memory: an estimate of
// one instance's device memory, and the cut of a structure group (grouped_solve.hpp) into consecutive
// device batches. Host code, so that it is tested without a device; the GPU backend applies it
// (cuda/gpu_batch_solver.cpp) with cudaMemGetInfo's free bytes. Cutting a batch changes no result: the
// device's instances share nothing but the pattern of A and the loop that runs until all have stopped.
#include <cstddef>
#include <vector>

#include "host/conic/problem.hpp"

namespace isacbf::conic {

// One instance's share of the device ADMM's buffers (cuda/admm_batched.cu), in bytes: A's values in CSR and
// CSC, the Woodbury factor (p x p, p the rows with several entries) and its staging copy, the data and the
// iterate vectors, the Anderson pairs (2 memory + 3 iterate-length vectors), and the eigensolver's
// matrices for each PSD block; times kDeviceMemoryMargin for what the estimate does not see (cuSOLVER's
// workspaces, the allocator's rounding).
double device_bytes_per_instance(const ConicProblem& problem, const Settings& settings);
inline constexpr double kDeviceMemoryMargin = 1.25;

// The order p of that Woodbury factor: the rows of A with two or more stored entries. The device takes them
// from the CSR pattern (cuda/batch_prep.cpp, AdmmHostData::multi_rows); GpuPrep.WoodburyOrderIsTheDevicesOrder
// checks the two agree.
int woodbury_order(const Eigen::SparseMatrix<double>& A);

// Instances per device batch: as many as fit 90 % of `free_bytes` at `bytes_per_instance` (at least one: a
// single instance that does not fit fails with the device's own message), and no more than max_batch when
// it is > 0 (Settings::gpu_max_batch).
std::size_t device_batch_capacity(double free_bytes, double bytes_per_instance, int max_batch);

// `members` cut into consecutive pieces of at most `capacity` (>= 1) indices, as evenly as that allows.
std::vector<std::vector<std::size_t>> cut_group(const std::vector<std::size_t>& members, std::size_t capacity);

}  // namespace isacbf::conic
