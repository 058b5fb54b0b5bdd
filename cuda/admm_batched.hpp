#pragma once
// The batched HSDE ADMM on the device, over plain host arrays (C++17; the Eigen glue lives in
// cuda/gpu_batch_solver.cpp). It is the SCS 3.x iteration of kernels/admm_step.hpp, the same as the CPU
// reference, on the (equilibrated) data. All B instances share the cone layout and the sparsity of A;
// values of A, b, c, R and the factor data differ per instance.
//
// Iteration on w = (x, y, tau), R = diag(rho_x I, r_y, r_tau), M0 = [[rho_x I, A^T], [-A, diag(r_y)]]:
//   p = M0^{-1} (R w)_xy;  tau~ = (r_tau w_tau + h.p) / (r_tau + h.g);  ut = (p - tau~ g, tau~)
//   u = Pi_{R^n x K* x R_+}(2 ut - w);  v = r o (u + w - 2 ut);  w += alpha (u - ut)
// M0 z = f:  (rho_x I + A^T diag(1/r_y) A) z_x = f_x - A^T (f_y / r_y),  z_y = (f_y + A z_x) / r_y,
// the x system by Woodbury on A^T diag(1/r) A = (rows with one entry: diagonal) + R^T diag(1/r_R) R
// (rows with several entries), with a dense Cholesky factor of diag(r_R) + R D^-1 R^T per instance.
// Adaptive scale (kernels/adaptive_scale.hpp, the CPU's rule): each check updates every running
// instance's ratio accumulator on the device and flags the instances whose scale changes; the host
// refactors only those (woodbury_factor.hpp), uploads their r and factors into the same buffers, and the
// device recomputes their g = M0^-1 h, h.g and w = u + R^-1 v.
// Anderson acceleration (kernels/anderson.hpp, the CPU's rule and safeguard): every anderson_interval
// iterations each running instance extrapolates w from its last anderson_memory pairs, one warp per
// instance; a scale change clears its pairs, as on the CPU.
#include <functional>
#include <vector>

#include "cuda/psd_types.hpp"
#include "kernels/adaptive_scale.hpp"

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
  std::vector<double> dinv;  // batch * n: 1 / (rho_x + sum over single-entry rows i in that column of a^2 / r_i)
  // One step of iterative refinement per x-solve. Set when a column of A has no single-entry row: its
  // diagonal in D is rho_x alone (D^-1 = 1e6), and the Woodbury solve's residual was ~1e-10 relative
  // against the CPU's dense / LDL^T 1e-16 (model A's P4; measured on an H100, the GPU's ADMM then
  // stalled near 1e-6 residuals). One step brings it to 1e-16 (tests/gpu/test_gpu_prep.cpp).
  bool refine = false;
  std::vector<double> chol;  // batch * p * p: Cholesky factor of diag(r_R) + R D^-1 R^T, column-major lower
  std::vector<double> b, c;  // batch * m, batch * n (equilibrated)
  std::vector<double> r;     // batch * (n + m + 1): the diagonal of R
  std::vector<double> scale0;  // batch: the initial dual scale, the one r was built with
  std::vector<double> w0;    // batch * (n + m + 1) starting point
  // Unscaling for the termination test (see host/conic/equilibration.hpp): 1/D (batch * m), 1/E
  // (batch * n), and (sigma_b, sigma_c) per instance.
  std::vector<double> dinv_rows, einv_cols, sigma;
};

struct AdmmParams {
  double eps_abs = 1e-5, eps_rel = 1e-5, eps_infeas = 1e-7;
  double norm_cap = 10.0;  // conic::Settings::norm_cap (0: uncapped)
  double alpha = 1.5;  // w += alpha (u - ut)
  int max_iters = 100000;
  int check_interval = 25;
  double time_limit_s = 0.0;
  EigMethod eig = EigMethod::automatic;
  bool use_graph = true;  // replay check_interval iterations as one CUDA graph (Jacobi projections only)
  // conic::Settings' adaptive scale; rho_x must be that of AdmmHostData::r (the initial scales are
  // AdmmHostData::scale0).
  bool adaptive_scale = true;
  kernels::ScaleRule scale_rule{100, true, 3, 0.5};  // conic::scale_rule(Settings), the solver's defaults
  double rho_x = 1e-6;
  // conic::Settings' Anderson acceleration (kernels/anderson.hpp; memory 0: off). Its pairs take
  // 2 * memory * (n + m + 1) doubles per instance on the device.
  int anderson_memory = 0;
  bool anderson_type1 = false;
  double anderson_reg = 1e-8;
  double anderson_safeguard = 5.0;
  int anderson_interval = 10;
  bool anderson_reset_on_reject = false;
  // Called on the host after every check with the iterations done and the instances still running (the
  // GPU backend's progress log, conic::Settings::verbose); empty: not called.
  std::function<void(long long iterations, int running)> on_check;
};

enum AdmmCode : int { kRunning = 0, kOptimal = 1, kInfeasible = 2, kUnbounded = 3, kNumerical = 4 };

struct AdmmResult {
  std::vector<int> code;        // AdmmCode per instance (kRunning: iteration or time limit)
  std::vector<int> iterations;
  std::vector<double> scale;    // final dual scale per instance
  std::vector<int> scale_updates;
  std::vector<int> anderson_accepted, anderson_rejected;  // per instance (zeros with Anderson off)
  std::vector<double> u, v, w;  // batch * (n + m + 1), scaled; x = u_x / tau, y = u_y / tau, s = v_y / tau
  double solve_seconds = 0.0;   // device loop only (after upload and factor set-up)
  double setup_seconds = 0.0;   // allocation, upload and g = M0^-1 h
  double download_seconds = 0.0;
  long long total_iterations = 0;  // iterations the loop ran (the slowest instance)
  bool time_limit_hit = false;
  // The device memory the batch held at the end of its loop, workspaces included: cudaMemGetInfo's free
  // bytes before the batch's first allocation minus those then (other processes on the device blur it).
  double device_bytes = 0.0;
};

AdmmResult solve_admm_batched(const AdmmHostData& data, const AdmmParams& params);

}  // namespace isacbf::gpu
