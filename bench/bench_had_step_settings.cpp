// The conic settings of model B's HAD digital steps (docs/model-b.md, "Conic solver"): the SOCPs of the
// first three digital steps of run_had (default scenario at Nt 32, 64, 256; seeds 1, 2, 4; the trajectory
// solved without Anderson so that every variant sees the same problems), each solved by the CPU ADMM
// with the FP steps' settings and with variants. Prints one line per solve and a summary per variant.
// Then whole HAD designs (run_had, default settings) at Nt 32 / 64 / 256, seeds 1-6, with and without
// warm-started digital steps: steps, total ADMM iterations, optimal designs, mean best sum rate.
// Usage: bench_had_step_settings
#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>

#include "host/model_b/digital_fp.hpp"
#include "host/model_b/generator.hpp"
#include "host/model_b/had_design.hpp"

using namespace isacbf;
using namespace isacbf::model_b;

namespace {

// Forwards to another solver, counting ADMM iterations. capture: keeps every problem and solves it
// without Anderson (so that every variant later sees the same trajectory's problems).
class Recorder : public conic::BatchSolver {
 public:
  Recorder(conic::BatchSolver& inner, bool capture) : inner_(inner), capture_(capture) {}
  conic::Backend backend() const override { return inner_.backend(); }
  std::vector<conic::Solution> solve(const std::vector<conic::ConicProblem>& batch, const conic::Settings& settings,
                                     const std::vector<conic::WarmStart>& warm) override {
    conic::Settings s = settings;
    if (capture_) {
      problems.insert(problems.end(), batch.begin(), batch.end());
      s.anderson_memory = 0;
    }
    auto out = inner_.solve(batch, s, warm);
    for (const auto& r : out) {
      iterations += r.iterations;
      not_optimal += r.status != conic::Status::optimal;
      ++solves;
    }
    return out;
  }
  std::vector<conic::ConicProblem> problems;
  long long iterations = 0;
  int not_optimal = 0, solves = 0;

 private:
  conic::BatchSolver& inner_;
  bool capture_;
};

struct Variant {
  const char* name;
  std::function<void(conic::Settings&)> apply;
};

}  // namespace

int main() {
  const std::vector<Variant> variants{
      {"fp_settings", [](conic::Settings&) {}},
      {"fixed_scale", [](conic::Settings& s) { s.adaptive_scale = false; }},
      {"normalize_bc", [](conic::Settings& s) { s.normalize_bc = true; }},
      {"fixed_scale+normalize_bc (had_conic_settings)", [](conic::Settings& s) { s = had_conic_settings(s); }},
      {"no_anderson+fixed_scale+normalize_bc (the GPU's iteration)",
       [](conic::Settings& s) {
         s = had_conic_settings(s);
         s.anderson_memory = 0;
       }},
  };
  std::map<std::string, std::vector<int>> iterations;
  std::map<std::string, int> not_optimal;
  const auto cpu = conic::make_cpu_solver();
  for (int nt : {32, 64, 256})
    for (int seed : {1, 2, 4}) {
      Scenario sc;
      sc.Nt = sc.Nr = nt;
      HadOptions o;
      o.n_rf = nt == 32 ? 8 : nt == 64 ? 12 : 16;
      o.conic = FpOptions{}.conic;
      o.warm_start = false;  // the trajectory the table in docs/model-b.md was measured on
      Recorder capture(*cpu, true);
      run_had(generate(sc, static_cast<std::uint64_t>(seed)), capture, o);
      for (std::size_t k = 0; k < std::min<std::size_t>(capture.problems.size(), 3); ++k)
        for (const Variant& v : variants) {
          conic::Settings s = FpOptions{}.conic;
          v.apply(s);
          const auto t0 = std::chrono::steady_clock::now();
          const conic::Solution r = cpu->solve({capture.problems[k]}, s).front();
          const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          std::cout << "Nt " << nt << " seed " << seed << " step " << k << "  " << v.name << ": " << conic::to_string(r.status)
                    << ", " << r.iterations << " iterations, " << sec << " s\n";
          iterations[v.name].push_back(r.iterations);
          not_optimal[v.name] += r.status != conic::Status::optimal;
        }
    }
  std::cout << "\nvariant: solves, not optimal, iterations geometric mean / max\n";
  for (const Variant& v : variants) {
    const auto& it = iterations[v.name];
    double log_sum = 0.0;
    int max = 0;
    for (int x : it) {
      log_sum += std::log(static_cast<double>(x));
      max = std::max(max, x);
    }
    std::cout << v.name << ": " << it.size() << ", " << not_optimal[v.name] << ", " << std::exp(log_sum / static_cast<double>(it.size()))
              << " / " << max << "\n";
  }
  std::cout << "\nwhole HAD designs, seeds 1-6: steps, ADMM iterations, steps not optimal, optimal designs, mean best sum rate\n";
  for (int nt : {32, 64, 256})
    for (bool warm : {false, true}) {
      Recorder counting(*cpu, false);
      double rate = 0.0;
      int optimal = 0;
      for (int seed = 1; seed <= 6; ++seed) {
        Scenario sc;
        sc.Nt = sc.Nr = nt;
        HadOptions o;
        o.n_rf = nt == 32 ? 8 : nt == 64 ? 12 : 16;
        o.warm_start = warm;
        const HadResult r = run_had(generate(sc, static_cast<std::uint64_t>(seed)), counting, o);
        if (!r.objective_trace.empty()) rate += *std::max_element(r.objective_trace.begin(), r.objective_trace.end());
        optimal += r.status == "optimal";
      }
      std::cout << "Nt " << nt << (warm ? ", warm start: " : ", cold start: ") << counting.solves << ", " << counting.iterations << ", "
                << counting.not_optimal << ", " << optimal << "/6, " << rate / 6 << "\n";
    }
}
