#pragma once
// Splitting one sweep over several processes, on one machine or across servers (docs/sweep.md, "Across
// processes and servers"): shard I of N takes the instances whose global index (grid point major,
// realisation minor) is I mod N, and appends to its own results file in the shared output directory,
// so processes never write the same file. Launched by mpirun or srun, `auto` reads the rank and size the
// launcher exports; the program needs no MPI library for this.
#include <string>

namespace isacbf::sweep {

struct Shard {
  int index = 0;  // 0 <= index < count
  int count = 1;  // 1: the whole sweep in one process, into results.csv
};

// "I/N" (0 <= I < N), or "auto": the launcher's rank and size (shard_from_environment). InputError("--shard")
// on anything else.
Shard parse_shard(const std::string& text);

// OpenMPI (OMPI_COMM_WORLD_RANK / _SIZE), MPICH and Intel MPI (PMI_RANK / PMI_SIZE), SLURM (SLURM_PROCID /
// SLURM_NTASKS), first found; {0, 1} when none is set. InputError("--shard") when a pair is malformed.
Shard shard_from_environment();

// results.csv for a single process, results.shard-I-of-N.csv otherwise.
std::string results_file_name(const Shard& shard);

}  // namespace isacbf::sweep
