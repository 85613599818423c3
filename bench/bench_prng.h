/* bench/bench_prng.h — the one pseudo-random generator of the bench data generators
 * (splitmix64): fast, seedable, the same sequence on every machine, so a seed names a data
 * set. Not for anything that needs real randomness. */
#ifndef PAXSCREEN_BENCH_PRNG_H
#define PAXSCREEN_BENCH_PRNG_H

#include <stdint.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t rng_state; /* the seed; each generator sets it once */

static inline uint64_t rnd64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n) for n > 0 (the tiny modulo bias does not matter here). */
static inline unsigned rnd(unsigned n)
{
    return (unsigned)(rnd64() % n);
}

#endif
