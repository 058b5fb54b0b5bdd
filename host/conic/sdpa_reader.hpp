#pragma once
// Reader for the SDPA sparse format (.dat-s) used by SDPLIB.
// File: comment lines ('"' or '*') first; then m; the number of blocks; the block sizes (negative =
// diagonal/LP block); the vector c (m numbers); then entries "matno blkno i j value" (matno 0 = F0,
// upper or lower triangle). Separators ",{}()" are ignored. As in SDPA and CSDP, text after the
// numbers of the m, block-count and block-size lines is a comment ("3 = mDIM"). An entry given twice
// ((i, j) and (j, i) are one entry) and more than m numbers on c's line are errors.
// Mapping (SDPA primal: min c^T x s.t. sum_i x_i F_i - F0 >= 0) to  min c^T x, A x + s = b, s in K:
//   A = -[vec F_1 ... vec F_m], b = -vec F0, vec = svec for PSD blocks (order >= 2) and the diagonal
//   for LP blocks and blocks of order 1 (these become non-negative rows, placed first as ConeSpec
//   requires). Hence c^T x is the objective in the file's own convention.
// Errors: InputError with field "line N" (or the section name) and the file path; also for a header
// that declares more blocks or entries of c than the file holds, a PSD block above kMaxSdpaPsdOrder
// or blocks needing more than kMaxSdpaRows rows (checked before anything is allocated).
#include <istream>
#include <string>
#include <vector>

#include "host/conic/declared_size.hpp"
#include "host/conic/problem.hpp"

namespace isacbf::conic {

// Limits of what a file may declare: a dense eigendecomposition of order 4096 per iteration already
// takes seconds, and 2^26 rows are 0.5 GB per iterate vector.
inline constexpr long kMaxSdpaPsdOrder = 4096;
inline constexpr long kMaxSdpaRows = 1L << 26;

// A file as read: the conic problem and the file's block sizes (negative = diagonal block), which map
// a solution's rows back to the file's blocks (sdpa_solution.hpp).
struct SdpaFile {
  ConicProblem problem;
  std::vector<long> block_sizes;
};

// `limit`: a bound on the declared rows + columns, checked after the header (declared_size.hpp).
SdpaFile read_sdpa_file(const std::string& path, const DeclaredSizeLimit& limit = {});
SdpaFile parse_sdpa_file(std::istream& in, const std::string& name = "<stream>", const DeclaredSizeLimit& limit = {});
ConicProblem read_sdpa(const std::string& path);
ConicProblem parse_sdpa(std::istream& in, const std::string& name = "<stream>");

// The conic form's row of each block's first entry: diagonal blocks and blocks of order 1 first (the
// non-negative rows), then the PSD blocks (svec), each group in file order.
std::vector<long> sdpa_block_offsets(const std::vector<long>& block_sizes);
// The conic form's rows of all blocks: n(n+1)/2 for a block of size n >= 2, |n| for the others.
long sdpa_row_count(const std::vector<long>& block_sizes);

}  // namespace isacbf::conic
