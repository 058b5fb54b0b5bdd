#include "host/common/sweep_summary.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "host/common/results_file.hpp"
#include "host/common/sweep_dir.hpp"

namespace isacbf::sweep {

int PointStats::count(const std::string& status) const {
  const auto it = statuses.find(status);
  return it == statuses.end() ? 0 : it->second;
}

double PointStats::mean(const std::string& column) const {
  const auto it = sum.find(column);
  return measured > 0 && it != sum.end() ? it->second / measured : 0.0;
}

double PointStats::stddev(const std::string& column) const {
  if (measured < 2) return 0.0;
  const double n = measured, m = mean(column);
  const auto it = sum_sq.find(column);
  const double sq = it == sum_sq.end() ? 0.0 : it->second;
  return std::sqrt(std::max(0.0, (sq - n * m * m) / (n - 1)));
}

double PointStats::minimum(const std::string& column) const {
  const auto it = min.find(column);
  return it == min.end() ? std::numeric_limits<double>::infinity() : it->second;
}

std::map<int, PointStats> point_stats(const std::string& dir, const std::string& header_text, const SummarySpec& spec) {
  const auto header = split_csv(header_text);
  auto col = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) throw std::runtime_error("results.csv lacks column " + name);
    return static_cast<std::size_t>(it - header.begin());
  };
  const std::size_t c_point = col("point"), c_status = col("status"), c_measured = col(spec.measured);
  std::vector<std::size_t> c_numbers, c_lists;
  for (const auto& name : spec.numbers) c_numbers.push_back(col(name));
  for (const auto& name : spec.lists) c_lists.push_back(col(name));
  std::map<int, PointStats> stats;
  for (const auto& row : summary_rows(dir, header_text)) {
    const auto v = split_csv(row);
    if (v.size() < header.size()) continue;
    PointStats& s = stats[int_cell(v[c_point])];
    ++s.rows;
    ++s.statuses[v[c_status]];
    if (v[c_measured].empty()) continue;
    ++s.measured;
    for (std::size_t k = 0; k < c_numbers.size(); ++k) {
      const double x = number_cell(v[c_numbers[k]]);
      s.sum[spec.numbers[k]] += x;
      s.sum_sq[spec.numbers[k]] += x * x;
    }
    for (std::size_t k = 0; k < c_lists.size(); ++k) {
      std::istringstream entries(v[c_lists[k]]);
      std::string x;
      while (std::getline(entries, x, ';'))
        if (!x.empty()) {
          const double value = number_cell(x);
          auto [it, fresh] = s.min.try_emplace(spec.lists[k], value);
          if (!fresh) it->second = std::min(it->second, value);
        }
    }
  }
  return stats;
}

}  // namespace isacbf::sweep
