/*
 * engine/version.h -- the engine's version and build provenance.
 */
#ifndef ZS_ENGINE_VERSION_H
#define ZS_ENGINE_VERSION_H

#define ZS_VERSION "0.1.0"

/* Set by the Makefile from `git describe`; "unknown" outside a checkout. */
#ifndef ZS_GIT_COMMIT
#define ZS_GIT_COMMIT "unknown"
#endif

#endif
