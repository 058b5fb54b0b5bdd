#pragma once
// The small model-B scenario the digital and HAD tests solve: Nt = Nr = 8, two users at -30 / 30 deg,
// one AE at 5 deg, 6 RF chains, Ns dedicated sensing beams.
#include "host/model_b/generator.hpp"

namespace isacbf::model_b::fixtures {

inline Scenario small_scenario(int Ns) {
  Scenario s;
  s.Nt = 8;
  s.Nr = 8;
  s.K = 2;
  s.J = 1;
  s.Ns = Ns;
  s.N_RF = 6;
  s.theta_user_deg = {-30.0, 30.0};
  s.theta_ae_deg = {5.0};
  return s;
}

}  // namespace isacbf::model_b::fixtures
