#include "models/rng.h"

/* Golden-ratio increment of splitmix64. */
#define ZS_GAMMA UINT64_C(0x9e3779b97f4a7c15)

typedef struct {
    uint64_t key;
    uint64_t ctr;
} keyed_state;

uint64_t zs_rng_key(uint64_t master, uint64_t rep, uint64_t day, uint64_t point,
                    zs_purpose purpose)
{
    /* A chain of mixes: h <- mix(h + field*G + tag).  The distinct odd tags
     * keep (a, b) and (b, a) apart. */
    uint64_t h = zs_mix64(master + UINT64_C(0x6a09e667f3bcc909));
    h = zs_mix64(h + rep * ZS_GAMMA + UINT64_C(0xbb67ae8584caa73b));
    h = zs_mix64(h + day * ZS_GAMMA + UINT64_C(0x3c6ef372fe94f82b));
    h = zs_mix64(h + point * ZS_GAMMA + UINT64_C(0xa54ff53a5f1d36f1));
    h = zs_mix64(h + (uint64_t)purpose * ZS_GAMMA + UINT64_C(0x510e527fade682d1));
    return h;
}

static inline uint64_t next64(keyed_state *s)
{
    s->ctr += ZS_GAMMA;
    return zs_mix64(s->key + s->ctr);
}

static void keyed_set(void *vstate, unsigned long seed)
{
    keyed_state *s = vstate;
    s->key = zs_mix64((uint64_t)seed);
    s->ctr = 0;
}

static unsigned long keyed_get(void *vstate)
{
    return (unsigned long)(next64(vstate) >> 32);
}

static double keyed_get_double(void *vstate)
{
    /* 53 random bits into [0, 1). */
    return (double)(next64(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type keyed_type = {
    ZS_RNG_NAME,
    UINT32_MAX,
    0,
    sizeof(keyed_state),
    keyed_set,
    keyed_get,
    keyed_get_double
};

const gsl_rng_type *zs_rng_keyed = &keyed_type;

gsl_rng *zs_rng_create(void)
{
    /* gsl_rng_alloc calls the error handler on failure; main() turns the
     * handler off, so NULL is returned and reported by our caller. */
    gsl_rng *r = gsl_rng_alloc(zs_rng_keyed);
    if (r)
        zs_rng_rekey(r, 0);
    return r;
}

void zs_rng_rekey(gsl_rng *r, uint64_t key)
{
    keyed_state *s = r->state;
    s->key = key;
    s->ctr = 0;
}
