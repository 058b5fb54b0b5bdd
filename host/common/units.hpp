#pragma once
// Unit conversions used everywhere (formats.md): powers in dBm, ratios in dB.
#include <cmath>

namespace isacbf {

inline double dbm_to_watt(double dbm) { return std::pow(10.0, (dbm - 30.0) / 10.0); }
inline double watt_to_dbm(double watt) { return 10.0 * std::log10(watt) + 30.0; }
inline double db_to_linear(double db) { return std::pow(10.0, db / 10.0); }
inline double linear_to_db(double ratio) { return 10.0 * std::log10(ratio); }

}  // namespace isacbf
