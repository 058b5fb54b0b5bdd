// `isacbf bench`: GPU vs CPU timings. Two modes:
//   --eig    batched eigendecomposition / PSD projection micro-benchmark (Jacobi kernels vs cuSOLVER)
//   default  batched ADMM on a synthetic model-A-shaped conic problem (bench/synthetic_p4.*), GPU vs CPU
// Prints a table and writes the same rows as CSV (--csv).
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "apps/bench_admm.hpp"
#include "apps/command.hpp"
#include "cuda/gpu_api.hpp"
#include "host/common/errors.hpp"

namespace isacbf::apps {
namespace {

struct BenchOptions {
  bool eig = false;
  std::vector<int> sizes{4, 8, 16, 32, 64};
  std::vector<int> batches;  // empty: --eig 4096, 16384; ADMM 1 ... 16384
  int repeats = 5;
  std::string csv;
  AdmmBenchOptions admm;
};

void write_csv(const std::string& path, const std::string& header, const std::vector<std::string>& rows) {
  if (path.empty()) return;
  std::ofstream out(path);
  if (!out) throw InputError("csv", "cannot write '" + path + "'");
  out << header << "\n";
  for (const auto& r : rows) out << r << "\n";
}

void run_eig(const BenchOptions& o) {
  const std::string device = gpu::device_description();
  std::cout << "device: " << device << "\n";
  std::cout << "complex double Hermitian, eigenvalues+vectors; projection = rebuild from positive eigenpairs\n";
  std::cout << std::setw(4) << "n" << std::setw(8) << "batch" << std::setw(10) << "method" << std::setw(14)
            << "eig_us/mat" << std::setw(14) << "proj_us/mat" << std::setw(14) << "eig_ms/batch" << "\n";
  std::vector<std::string> rows;
  const std::vector<int> batches = o.batches.empty() ? std::vector<int>{4096, 16384} : o.batches;
  for (int n : o.sizes)
    for (int batch : batches)
      for (const std::string method : {"jacobi", "cusolver"}) {
        if (method == "jacobi" && n > 32) continue;
        const auto t = gpu::time_psd(n, batch, method, o.repeats, 12345);
        const double eig_us = t.eig_seconds * 1e6 / batch, proj_us = t.projection_seconds * 1e6 / batch;
        std::cout << std::setw(4) << n << std::setw(8) << batch << std::setw(10) << method << std::setw(14)
                  << std::setprecision(4) << eig_us << std::setw(14) << proj_us << std::setw(14)
                  << t.eig_seconds * 1e3 << "\n";
        std::ostringstream row;
        row << n << "," << batch << "," << method << "," << t.eig_seconds << "," << t.projection_seconds;
        rows.push_back(row.str());
      }
  write_csv(o.csv, "n,batch,method,eig_seconds,projection_seconds", rows);
}

}  // namespace

static RegisterCommand reg{"bench", [](CLI::App& root) {
  auto opts = std::make_shared<BenchOptions>();
  auto* cmd = root.add_subcommand("bench", "GPU vs CPU benchmarks (batched ADMM; --eig for the eigensolver micro-benchmark)");
  cmd->add_flag("--eig", opts->eig, "eigendecomposition / PSD projection micro-benchmark (Jacobi vs cuSOLVER)");
  cmd->add_option("--sizes", opts->sizes, "--eig: matrix orders")->delimiter(',');
  cmd->add_option("--batches", opts->batches, "batch sizes")->delimiter(',');
  cmd->add_option("--repeats", opts->repeats, "timed repetitions (median reported)");
  cmd->add_option("--csv", opts->csv, "also write the rows to this CSV file");
  add_admm_bench_options(*cmd, opts->admm);
  cmd->callback([opts] {
    if (opts->eig) {
      run_eig(*opts);
    } else {
      opts->admm.batches = opts->batches;
      opts->admm.csv = opts->csv;
      run_admm_bench(opts->admm);
    }
  });
}};

}  // namespace isacbf::apps
