#pragma once
// The batched HSDE ADMM (SCS 2016 splitting) on the device, over plain host arrays (C++17; the Eigen glue
// lives in cuda/gpu_batch_solver.cpp). All B instances share the cone layout and the sparsity of A;
// values of A, b, c and the factor data differ per instance.
//
// Iteration (u = (x, y, tau), v = (r, s, kappa), Q the HSDE skew matrix, C = R^n x K* x R_+):
//   u~ = (I + Q)^{-1} (u + v);   u~r = alpha u~ + (1 - alpha) u;   u = Pi_C(u~r - v);   v = v - u~r + u.
// (I + Q)^{-1} uses M = [[I, A^T], [-A, I]]: (I + A^T A) zx = r1 - A^T r2 by Woodbury on the split
// A^T A = D + R^T R (D from rows with one entry, R the rows with several), with a dense (I + R D^-1 R^T)^-1.
#include <vector>

#include "cuda/psd_batched.hpp"

namespace isacbf::gpu {

struct AdmmLayout {
  int n = 0, m = 0;             // variables, rows
  int zero = 0, nonneg = 0;     // rows [0, zero) and [zero, zero + nonneg)
  std::vector<int> soc;         // sizes, consecutive after the orthant
  std::vector<PsdGroup> psd;    // offsets relative to the start of y (row index)
  int exp_primal = 0, exp_dual = 0;
  int exp_offset = 0;           // first row of the exponential cones
};

struct AdmmHostData {
  int batch = 0;
  AdmmLayout layout;
  // Shared CSR and CSC patterns of A.
  std::vector<int> row_ptr, col_idx, col_ptr, row_idx;
  std::vector<double> csr_vals, csc_vals;  // batch * nnz each
  // Rows with several entries (R) and R^T by columns: entry e of column j is row multi[rt_k[e]] at CSR position rt_pos[e].
  std::vector<int> multi_rows, rt_ptr, rt_k, rt_pos;
  std::vector<double> dinv;  // batch * n: 1 / (1 + sum of squares of single-entry rows in that column)
  std::vector<double> sinv;  // batch * p * p: (I + R D^-1 R^T)^-1, column-major
  std::vector<double> b, c;  // batch * m, batch * n
  std::vector<double> u0, v0;  // batch * (n + m + 1) starting point
};

struct AdmmParams {
  double eps_abs = 1e-5, eps_rel = 1e-5, eps_infeas = 1e-7;
  double alpha = 1.5;
  int max_iters = 100000;
  int check_interval = 25;
  double time_limit_s = 0.0;
  EigMethod eig = EigMethod::automatic;
  bool use_graph = true;  // replay check_interval iterations as one CUDA graph (Jacobi projections only)
};

enum AdmmCode : int { kRunning = 0, kOptimal = 1, kInfeasible = 2, kUnbounded = 3, kNumerical = 4 };

struct AdmmResult {
  std::vector<int> code;        // AdmmCode per instance (kRunning: iteration or time limit)
  std::vector<int> iterations;
  std::vector<double> u, v;     // batch * (n + m + 1)
  double solve_seconds = 0.0;   // device loop only (after upload and factor set-up)
  double setup_seconds = 0.0;
  long long total_iterations = 0;  // iterations the loop ran (the slowest instance)
  bool time_limit_hit = false;
};

AdmmResult solve_admm_batched(const AdmmHostData& data, const AdmmParams& params);

}  // namespace isacbf::gpu
