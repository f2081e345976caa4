/*
 * engine/results/version.h -- the engine's version and build provenance.
 */
#ifndef ZS_ENGINE_VERSION_H
#define ZS_ENGINE_VERSION_H

#define ZS_VERSION "0.1.0"

/* `git describe --always --dirty` of the build ("unknown" outside a
 * checkout), in one generated object (build/gen/commit.c) that is rewritten
 * only when the commit changes, so every module reports the same one. */
extern const char zs_git_commit[];

#endif
