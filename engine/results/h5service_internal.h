/*
 * engine/results/h5service_internal.h -- the /service writer that
 * zs_h5out_write calls (internal to engine/results/h5*.c).
 */
#ifndef ZS_ENGINE_H5SERVICE_INTERNAL_H
#define ZS_ENGINE_H5SERVICE_INTERNAL_H

#include "results/h5out_internal.h"

/* Writes /service when r->service is set: 0, or -1 with w's error set. */
int zs_h5service_write_results(zs_h5_writer *w, hid_t f, const zs_results *r);

#endif
