#pragma once
// ISACBF_HD marks per-instance math compiled for both the host (CPU reference) and the device (CUDA).
#if defined(__CUDACC__)
#define ISACBF_HD __host__ __device__
#define ISACBF_HD_INLINE __host__ __device__ inline
#else
#define ISACBF_HD
#define ISACBF_HD_INLINE inline
#endif
