#include "host/crosscheck/cvxopt_solver.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

namespace isacbf::crosscheck {

namespace fs = std::filesystem;

std::string cvxopt_script_path() {
  if (const char* env = std::getenv("ISACBF_CVXOPT_SCRIPT")) return env;
  return (fs::path(__FILE__).parent_path() / ".." / ".." / "scripts" / "cvxopt_conic_bridge.py").lexically_normal().string();
}

bool cvxopt_available() {
  if (!fs::exists(cvxopt_script_path()) || !fs::exists("/usr/bin/python3")) return false;
  return std::system("/usr/bin/python3 -c 'import cvxopt, numpy' >/dev/null 2>&1") == 0;
}

namespace {

nlohmann::json to_json(const conic::ConicProblem& p) {
  nlohmann::json j;
  j["zero"] = p.cones.zero;
  j["nonneg"] = p.cones.nonneg;
  j["psd_complex"] = p.cones.psd_complex;
  j["exp_primal"] = p.cones.exp_primal;
  j["m"] = p.A.rows();
  j["n"] = p.A.cols();
  std::vector<long> rows, cols;
  std::vector<double> vals;
  for (Eigen::Index k = 0; k < p.A.outerSize(); ++k)
    for (Eigen::SparseMatrix<double>::InnerIterator it(p.A, k); it; ++it) {
      rows.push_back(it.row());
      cols.push_back(it.col());
      vals.push_back(it.value());
    }
  j["A"] = {{"rows", rows}, {"cols", cols}, {"vals", vals}};
  j["b"] = std::vector<double>(p.b.data(), p.b.data() + p.b.size());
  j["c"] = std::vector<double>(p.c.data(), p.c.data() + p.c.size());
  return j;
}

conic::Status parse_status(const std::string& s) {
  if (s == "optimal") return conic::Status::optimal;
  if (s == "infeasible") return conic::Status::infeasible;
  if (s == "unbounded") return conic::Status::unbounded;
  if (s == "max_iterations") return conic::Status::max_iterations;
  return conic::Status::numerical_error;
}

std::atomic<unsigned> g_counter{0};

class CvxoptSolver final : public conic::BatchSolver {
 public:
  explicit CvxoptSolver(int processes) : processes_(processes) {}
  conic::Backend backend() const override { return conic::Backend::cpu; }

  std::vector<conic::Solution> solve(const std::vector<conic::ConicProblem>& batch, const conic::Settings&,
                                     const std::vector<conic::WarmStart>& warm) override {
    for (const auto& p : batch) conic::validate(p);
    const int want = processes_ > 0 ? processes_ : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int chunks = std::max(1, std::min<int>(want, static_cast<int>(batch.size())));
    std::vector<conic::Solution> out(batch.size());
    std::vector<std::string> errors(static_cast<std::size_t>(chunks));
    std::vector<std::thread> workers;
    for (int c = 0; c < chunks; ++c)
      workers.emplace_back([&, c] {
        try {
          run_chunk(batch, warm, out, static_cast<std::size_t>(c), static_cast<std::size_t>(chunks));
        } catch (const std::exception& e) {
          errors[static_cast<std::size_t>(c)] = e.what();
        }
      });
    for (auto& w : workers) w.join();
    for (const auto& e : errors)
      if (!e.empty()) throw std::runtime_error("cvxopt backend: " + e);
    return out;
  }

 private:
  static void run_chunk(const std::vector<conic::ConicProblem>& batch, const std::vector<conic::WarmStart>& warm,
                        std::vector<conic::Solution>& out,
                        std::size_t chunk, std::size_t chunks) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::size_t> idx;
    nlohmann::json in;
    in["problems"] = nlohmann::json::array();
    for (std::size_t i = chunk; i < batch.size(); i += chunks) {
      idx.push_back(i);
      auto j = to_json(batch[i]);
      // cp starts from x0 (it must lie in the log's domain); a warm start's x is a good one
      if (i < warm.size() && warm[i].x.size() == batch[i].A.cols())
        j["x0"] = std::vector<double>(warm[i].x.data(), warm[i].x.data() + warm[i].x.size());
      in["problems"].push_back(std::move(j));
    }
    const std::string stem = (fs::temp_directory_path() / ("isacbf_cvxopt_" + std::to_string(::getpid()) + "_" +
                                                            std::to_string(g_counter++))).string();
    const std::string fin = stem + "_in.json", fout = stem + "_out.json";
    { std::ofstream(fin) << in.dump(); }
    const std::string cmd = "/usr/bin/python3 '" + cvxopt_script_path() + "' '" + fin + "' '" + fout + "'";
    const int rc = std::system(cmd.c_str());
    std::ifstream f(fout);
    if (rc != 0 || !f) {
      fs::remove(fin);
      throw std::runtime_error("python bridge failed (exit " + std::to_string(rc) + "): " + cmd);
    }
    const auto res = nlohmann::json::parse(f);
    if (!std::getenv("ISACBF_CVXOPT_KEEP")) {  // keep the exchanged files for debugging
      fs::remove(fin);
      fs::remove(fout);
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (std::size_t j = 0; j < idx.size(); ++j) {
      const auto& s = res.at("solutions").at(j);
      const auto& p = batch[idx[j]];
      conic::Solution sol;
      sol.status = parse_status(s.at("status").get<std::string>());
      const auto x = s.at("x").get<std::vector<double>>();
      sol.x = Eigen::Map<const Eigen::VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
      sol.s = p.b - p.A * sol.x;
      sol.primal_objective = p.c.dot(sol.x);
      sol.iterations = s.value("iterations", 0);
      sol.seconds = secs / static_cast<double>(idx.size());
      sol.linear_solver = "cvxopt";
      sol.message = s.value("message", std::string());
      out[idx[j]] = std::move(sol);
    }
  }
  int processes_;
};

}  // namespace

std::unique_ptr<conic::BatchSolver> make_cvxopt_solver(int processes) { return std::make_unique<CvxoptSolver>(processes); }

}  // namespace isacbf::crosscheck
