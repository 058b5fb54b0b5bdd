#include "apps/eig_floor.hpp"

#include <array>
#include <cmath>
#include <utility>

namespace isacbf::apps {
namespace {
// solver.md: "0.034 µs per 4x4 matrix, 0.08 µs per 8x8, 0.30 µs per 16x16, 0.98 µs per 32x32,
// 4.3 µs per 64x64, 18 µs per 128x128, 115 µs per 256x256" (one H100, best of 3). The one place
// these numbers live in code; docs/PERFORMANCE.md section 1 re-measured them (bench --eig).
constexpr std::array<std::pair<int, double>, 7> kFloor{
    {{4, 0.034}, {8, 0.08}, {16, 0.30}, {32, 0.98}, {64, 4.3}, {128, 18.0}, {256, 115.0}}};
}  // namespace

double h100_eig_floor_us(int n) {
  if (n <= kFloor.front().first) return kFloor.front().second;
  if (n >= kFloor.back().first) return kFloor.back().second * std::pow(n / double(kFloor.back().first), 3.0);
  for (std::size_t i = 1; i < kFloor.size(); ++i) {
    const auto [n1, f1] = kFloor[i];
    if (n > n1) continue;
    const auto [n0, f0] = kFloor[i - 1];
    const double t = std::log(double(n) / n0) / std::log(double(n1) / n0);
    return std::exp(std::log(f0) + t * (std::log(f1) - std::log(f0)));
  }
  return kFloor.back().second;  // not reached
}

}  // namespace isacbf::apps
