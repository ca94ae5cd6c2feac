"""glibc's allocator, tuned for PyTorch on the CPU: the `+mallopt` settings of the baselines.

PyTorch frees and reallocates its large tensors every iteration. With glibc's
defaults, the ones above the mmap threshold get fresh pages from the kernel
each time, and freed memory at the top of the heap is returned to the kernel
and faulted back in: page faults that the profile shows as `aten::cat` and
friends taking 20x longer per call at T = 200 than at T = 100 (bench/README.md,
"Profile notes"). Keeping allocations up to 32 MB (the largest threshold glibc
accepts) on the heap and never trimming it removes them; PyTorch's own tuning
guide gives the same advice (use jemalloc or tcmalloc). rnnlab reuses its
buffers and is not affected (measured: within 3% either way).

Must run before torch is imported (and before any large allocation).
"""
import ctypes

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters (malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_MAX = 32 * 1024 * 1024  # glibc refuses more on 64-bit


def tune():
    libc = ctypes.CDLL("libc.so.6")
    ok = libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX) and libc.mallopt(M_TRIM_THRESHOLD, 2**30)
    if not ok:
        raise RuntimeError("mallopt refused the allocator settings")
