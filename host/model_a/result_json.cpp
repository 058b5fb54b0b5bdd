#include "host/model_a/result_json.hpp"

#include <cmath>

#include "host/common/units.hpp"
#include "host/model_a/io.hpp"
#include "host/model_a/metrics.hpp"
#include "host/model_a/rank_one.hpp"

namespace isacbf::model_a {

namespace {
nlohmann::json db_list(const std::vector<double>& linear) {
  nlohmann::json a = nlohmann::json::array();
  for (double v : linear) a.push_back(v > 0.0 ? linear_to_db(v) : -300.0);
  return a;
}
nlohmann::json vector_json(const Eigen::VectorXcd& v) {
  std::vector<double> re(static_cast<std::size_t>(v.size())), im(re.size());
  for (Eigen::Index i = 0; i < v.size(); ++i) re[static_cast<std::size_t>(i)] = v(i).real(), im[static_cast<std::size_t>(i)] = v(i).imag();
  return {{"re", re}, {"im", im}};
}
}  // namespace

nlohmann::json result_to_json(const Instance& inst, const ScaOutcome& o, const ScaOptions& opt, const ResultContext& ctx) {
  nlohmann::json j;
  j["status"] = o.status;
  j["sca_iterations"] = o.iterations;
  j["objective_trace"] = o.objective_trace;
  j["solve_seconds"] = o.seconds;
  j["backend"] = ctx.backend;
  if (!ctx.solver.empty()) j["solver"] = ctx.solver;
  j["scheme"] = to_string(opt.scheme);
  j["sca_update"] = to_string(opt.update);
  j["form"] = opt.form == Form::full ? "full" : "reduced";
  j["secrecy_rate_trace"] = o.secrecy_rate_trace;
  j["conic_solves"] = o.conic_solves;
  j["inaccurate_solves"] = o.inaccurate_solves;
  if (opt.scheme == Scheme::s_random) j["s_random_draws"] = o.s_random_draws;
  if (inst.seed) j["seed"] = *inst.seed;
  j["snr_offset_dB"] = inst.snr_offset_dB;
  if (!ctx.file.empty()) j["file"] = ctx.file;
  if (!o.message.empty()) j["message"] = o.message;
  const bool has = o.has_design && o.status != "infeasible";
  if (!has) {
    for (const char* key : {"secrecy_rate", "secrecy_rate_rank1", "scnr_b_dB", "power_W"}) j[key] = nullptr;
    for (const char* key : {"rate_user", "rate_eve", "scnr_u_dB", "rank1_ratio"}) j[key] = nlohmann::json::array();
    return j;
  }
  const Metrics m = evaluate(inst, o.design);
  const RankOne r1 = rank_one(o.design);
  const Metrics m1 = evaluate_beamformers(inst, r1.w, o.design.S);
  j["secrecy_rate"] = m.secrecy_rate;
  j["secrecy_rate_rank1"] = m1.secrecy_rate;
  j["rate_user"] = m.rate_user;
  j["rate_eve"] = m.rate_eve;
  j["scnr_b_dB"] = m.scnr_b > 0.0 ? linear_to_db(m.scnr_b) : -300.0;
  j["scnr_u_dB"] = db_list(m.scnr_u);
  j["power_W"] = m.power_W;
  j["rank1_ratio"] = r1.ratio;
  j["power_budget_W"] = dbm_to_watt(inst.P_dBm);
  if (ctx.full) {
    const nlohmann::json d = to_json(o.design);
    for (auto it = d.begin(); it != d.end(); ++it) j[it.key()] = it.value();
    j["start"] = to_json(o.start);  // the SCA's feasible start (lets a cross-check follow the same path)
    j["w"] = nlohmann::json::array();
    for (const auto& w : r1.w) j["w"].push_back(vector_json(w));
  }
  return j;
}

}  // namespace isacbf::model_a
