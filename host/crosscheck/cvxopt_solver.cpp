#include "host/crosscheck/cvxopt_solver.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "host/common/errors.hpp"
#include "host/common/parallel_for.hpp"

namespace isacbf::crosscheck {

namespace fs = std::filesystem;

CvxoptOptions CvxoptOptions::ill_conditioned() {
  CvxoptOptions o;
  o.tolerances = {{1e-7, 1e-6, 1e-7}, {1e-6, 1e-5, 1e-6}};
  o.refinement = 3;
  o.accept_stalled = true;
  return o;
}

std::string cvxopt_script_path() {
  if (const char* env = std::getenv("ISACBF_CVXOPT_SCRIPT")) return env;
  // This file is host/crosscheck/cvxopt_solver.cpp; the script lives in scripts/ at the repository root.
  return (fs::path(__FILE__).parent_path() / ".." / ".." / "scripts" / "cvxopt_conic_bridge.py").lexically_normal().string();
}

namespace {

// 'text' for /bin/sh, embedded single quotes included.
std::string quoted(const std::string& text) {
  std::string q = "'";
  for (char ch : text) q.append(ch == '\'' ? "'\\''" : std::string(1, ch));
  q.append("'");
  return q;
}

std::string script_of(const CvxoptOptions& o) { return o.script.empty() ? cvxopt_script_path() : o.script; }

nlohmann::json to_json(const conic::ConicProblem& p) {
  nlohmann::json j;
  j["cones"] = {{"zero", p.cones.zero},         {"nonneg", p.cones.nonneg},
                {"soc", p.cones.soc},           {"psd_real", p.cones.psd_real},
                {"psd_complex", p.cones.psd_complex}, {"exp_primal", p.cones.exp_primal},
                {"exp_dual", p.cones.exp_dual}};
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

nlohmann::json settings_json(const CvxoptOptions& o, const conic::Settings& settings) {
  nlohmann::json s = {{"verbose", settings.verbose}, {"maxiters", o.max_iterations}, {"accept_stalled", o.accept_stalled}};
  s["tolerances"] = nlohmann::json::array();
  for (const auto& t : o.tolerances) s["tolerances"].push_back({t.abstol, t.reltol, t.feastol});
  if (o.refinement >= 0) s["refinement"] = o.refinement;
  return s;
}

conic::Status parse_status(const std::string& s) {
  if (s == "optimal") return conic::Status::optimal;
  if (s == "infeasible") return conic::Status::infeasible;
  if (s == "unbounded") return conic::Status::unbounded;
  if (s == "max_iterations") return conic::Status::max_iterations;
  return conic::Status::numerical_error;
}

conic::Solution to_solution(const nlohmann::json& r, const conic::ConicProblem& p) {
  conic::Solution s;
  s.status = parse_status(r.value("status", std::string("numerical_error")));
  if (r.contains("x")) {
    const auto x = r["x"].get<std::vector<double>>();
    s.x = Eigen::Map<const Eigen::VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
  }
  s.primal_objective = r.value("primal_objective", 0.0);
  if (s.x.size() == p.A.cols()) {
    // For 'unbounded' x is a ray (A x + s = 0, c^T x = -1); otherwise s is the slack of A x + s = b.
    s.s = s.status == conic::Status::unbounded ? Eigen::VectorXd(-(p.A * s.x)) : Eigen::VectorXd(p.b - p.A * s.x);
    s.primal_objective = p.c.dot(s.x);
  }
  s.dual_objective = r.value("dual_objective", 0.0);
  s.iterations = r.value("iterations", 0);
  s.linear_solver = "cvxopt";
  s.message = r.value("message", std::string());
  if (r.contains("certificate_residual")) {
    s.message.append(" (certificate residual ");
    s.message.append(std::to_string(r["certificate_residual"].get<double>()));
    s.message.append(")");
  }
  return s;
}

std::atomic<unsigned> g_counter{0};

// Problems indices[chunk], indices[chunk + chunks], ... of the batch in one Python process.
void run_chunk(const CvxoptOptions& o, const nlohmann::json& settings, const std::vector<conic::ConicProblem>& batch,
               const std::vector<conic::WarmStart>& warm, const std::vector<std::size_t>& indices,
               std::vector<conic::Solution>& out, std::size_t chunk, std::size_t chunks) {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::size_t> idx;
  nlohmann::json in = {{"settings", settings}, {"problems", nlohmann::json::array()}};
  for (std::size_t k = chunk; k < indices.size(); k += chunks) {
    const std::size_t i = indices[k];
    idx.push_back(i);
    auto j = to_json(batch[i]);
    // cp starts from x0 (it must lie in the log's domain); a warm start's x is a good one
    if (i < warm.size() && warm[i].x.size() == batch[i].A.cols())
      j["x0"] = std::vector<double>(warm[i].x.data(), warm[i].x.data() + warm[i].x.size());
    in["problems"].push_back(std::move(j));
  }
  std::ostringstream stem;
  stem << (fs::temp_directory_path() / "isacbf_cvxopt_").string() << ::getpid() << "_" << g_counter++;
  const std::string fin = stem.str() + "_in.json", fout = stem.str() + "_out.json";
  { std::ofstream(fin) << in.dump(); }
  std::ostringstream cmd;
  cmd << o.python << " " << quoted(script_of(o)) << " " << quoted(fin) << " " << quoted(fout);
  const int rc = std::system(cmd.str().c_str());
  const bool keep = std::getenv("ISACBF_CVXOPT_KEEP") != nullptr;  // keep the exchanged files for debugging
  auto cleanup = [&] {
    if (keep) {
      std::fprintf(stderr, "cvxopt bridge files kept: %s %s\n", fin.c_str(), fout.c_str());
    } else {
      std::error_code ec;
      fs::remove(fin, ec);
      fs::remove(fout, ec);
    }
  };
  std::ifstream f(fout);
  if (rc != 0 || !f) {
    cleanup();
    std::ostringstream msg;
    msg << "cvxopt bridge failed (exit " << rc << "): " << cmd.str();
    throw std::runtime_error(msg.str());
  }
  nlohmann::json res;
  try {
    res = nlohmann::json::parse(f);
  } catch (const nlohmann::json::exception& e) {
    cleanup();
    throw std::runtime_error(std::string("cvxopt bridge wrote unreadable output: ") + e.what());
  }
  cleanup();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto& sols = res.at("solutions");
  if (sols.size() != idx.size()) throw std::runtime_error("cvxopt bridge: wrong number of solutions");
  for (std::size_t j = 0; j < idx.size(); ++j) {
    out[idx[j]] = to_solution(sols[j], batch[idx[j]]);
    out[idx[j]].seconds = secs / static_cast<double>(idx.size());
  }
}

}  // namespace

CvxoptSolver::CvxoptSolver(CvxoptOptions options) : options_(std::move(options)) {
  if (options_.processes < 0) throw InputError("cvxopt.processes", "must be >= 0");
  if (options_.max_iterations < 1) throw InputError("cvxopt.max_iterations", "must be >= 1");
  if (options_.refinement < -1) throw InputError("cvxopt.refinement", "must be >= 0, or -1 for CVXOPT's default");
  if (options_.tolerances.empty()) throw InputError("cvxopt.tolerances", "must not be empty");
  for (const auto& t : options_.tolerances)
    if (!(t.abstol > 0.0 && t.reltol > 0.0 && t.feastol > 0.0))
      throw InputError("cvxopt.tolerances", "must be positive");
}

bool cvxopt_available(const CvxoptOptions& options) {
  if (!fs::exists(script_of(options))) return false;
  const std::string cmd = options.python + " -c 'import cvxopt, numpy' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

std::vector<conic::Solution> CvxoptSolver::solve(const std::vector<conic::ConicProblem>& batch,
                                                 const conic::Settings& settings,
                                                 const std::vector<conic::WarmStart>& warm_starts) {
  conic::validate_warm_starts(batch.size(), warm_starts);
  std::vector<conic::Solution> out(batch.size());
  // Like the CPU reference, an invalid instance is reported (numerical_error, "batch[i]: ...") and the
  // rest are solved.
  std::vector<std::size_t> valid;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    try {
      conic::validate(batch[i]);
      valid.push_back(i);
    } catch (const InputError& e) {
      out[i].status = conic::Status::numerical_error;
      out[i].message = "batch[" + std::to_string(i) + "]: " + e.what();
    }
  }
  if (valid.empty()) return out;
  const int want = options_.processes > 0 ? options_.processes
                                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const std::size_t chunks = std::min<std::size_t>(static_cast<std::size_t>(want), valid.size());
  const nlohmann::json s = settings_json(options_, settings);
  parallel_for(
      chunks, [&](std::size_t c) { run_chunk(options_, s, batch, warm_starts, valid, out, c, chunks); },
      static_cast<int>(chunks));
  return out;
}

}  // namespace isacbf::crosscheck
