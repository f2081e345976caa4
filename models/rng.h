/*
 * models/rng.h -- keyed, counter-based random streams (common random numbers).
 *
 * Every random draw in a simulation is keyed by (master seed, replication,
 * day, point, purpose).  The key is hashed into 64 bits and a stream is the
 * splitmix64 output sequence started at that key: x_i = mix(key + (i+1)*G).
 * Re-keying costs one store, unlike reseeding mt19937 (624-word fill, and
 * only 32 bits of seed kept: see TECHNOTES.md).  Because each draw depends
 * only on its key, results do not depend on thread count or plan order, and
 * two plans see the same demand for the same (replication, day, point).
 *
 * The stream is exposed as a gsl_rng of type zs_rng_keyed so that GSL's
 * distributions (Poisson, gamma, lognormal...) draw from it.  Models never
 * create generators: the engine creates one per thread and passes it in.
 *
 * Key derivation version: ZS_RNG_KEY_VERSION; it is stored in results files
 * and must change whenever the mixing below changes.
 */
#ifndef ZS_MODELS_RNG_H
#define ZS_MODELS_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

#define ZS_RNG_NAME "zs-keyed-splitmix64"
#define ZS_RNG_KEY_VERSION 1

/* What a draw is for.  Values are part of the key derivation: never
 * renumber, only append. */
typedef enum {
    ZS_PURPOSE_DEMAND = 1,
    ZS_PURPOSE_SPEED = 2,      /* a vehicle's speed on one zone-day (models/vehicle.h) */
    ZS_PURPOSE_SIGNING = 3,
    ZS_PURPOSE_WAITING = 4,
    ZS_PURPOSE_PARTITION = 5,  /* k-means seeding and restarts */
    ZS_PURPOSE_CITYGEN = 6,    /* synthetic city generator */
    ZS_PURPOSE_COURIER = 7,    /* day-to-day courier performance */
    ZS_PURPOSE_PICKUP = 8,
    ZS_PURPOSE_DISRUPTION = 9,
    ZS_PURPOSE_ABSENCE = 10,   /* which couriers are absent (models/absence.h) */
    ZS_PURPOSE_WAVE = 11,      /* a point's parcels split among dispatch waves (sim/day.c) */
    ZS_PURPOSE_CALLS = 12      /* service-desk calls and their queue (models/calls.h) */
} zs_purpose;

/* The splitmix64 finaliser (Steele, Lea & Flood 2014): a bijection on
 * 64-bit words with full avalanche. */
static inline uint64_t zs_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* 64-bit key of (master, rep, day, point, purpose).  Each field is folded
 * in with a full mix, so nearby keys give unrelated streams. */
uint64_t zs_rng_key(uint64_t master, uint64_t rep, uint64_t day, uint64_t point,
                    zs_purpose purpose);

/* The GSL generator type of keyed streams (32-bit get, 53-bit doubles). */
extern const gsl_rng_type *zs_rng_keyed;

/* A new keyed generator (key 0) or NULL when out of memory.  Free it with
 * gsl_rng_free(). */
gsl_rng *zs_rng_create(void);

/* Restarts r at the beginning of the stream of key.  r must have been made
 * by zs_rng_create(). */
void zs_rng_rekey(gsl_rng *r, uint64_t key);

#endif
