/* SPDX-License-Identifier: MIT */
/*
 * flusher.h - deleting an uplink's connections off the event loop.
 *
 * One kernel request deletes every connection pinned to an uplink, but
 * the kernel walks the whole conntrack table inside that request: at a
 * few hundred thousand entries it takes longer than a probe interval,
 * and a loop blocked in it delays every other uplink's probes and
 * failover. The flusher runs those requests on a worker thread of its
 * own, one at a time in the order given, and reports each result back
 * to the loop.
 */
#ifndef ECMPD_FLUSHER_H
#define ECMPD_FLUSHER_H

#include <stdbool.h>
#include <stdint.h>

struct loop;

#define FLUSH_LABEL_MAX 64

struct flush_result {
	unsigned id; /* the uplink id given to flusher_submit() */
	char label[FLUSH_LABEL_MAX]; /* and its label, for the log */
	unsigned count; /* entries counted just before the delete */
	int err; /* 0 or -errno */
	uint64_t took_us; /* count and delete, on the worker */
};

/* Called on the loop's thread for each finished flush. */
typedef void (*flush_done_fn)(void *ctx, const struct flush_result *r);

/*
 * Deletes the entries with (mark & mask) == value and counts them, as
 * conntrack_flush_mark() (kernel/conntrack.h) does; runs on the worker.
 */
typedef int (*flush_fn)(uint32_t value, uint32_t mask, unsigned *count);

struct flusher;

/*
 * Starts the worker, which runs flush for each job, and watches its
 * answers on loop. NULL with errno.
 */
struct flusher *flusher_new(struct loop *loop, flush_fn flush,
			    flush_done_fn done, void *ctx);

/*
 * Lets the worker finish the flush it is running and the ones queued
 * (connections of a dead uplink must not outlive the daemon's decision),
 * then stops it; done is not called for them. NULL is a no-op.
 */
void flusher_free(struct flusher *f);

/*
 * Queues the deletion of the connections with (ct mark & mask) == value,
 * for uplink id (< 256), named label in the result (cut to fit). Returns
 * 0, or -errno when it cannot be queued (the caller then flushes on its
 * own thread).
 */
int flusher_submit(struct flusher *f, unsigned id, const char *label,
		   uint32_t value, uint32_t mask)
	__attribute__((warn_unused_result));

/* Whether a flush for uplink id is queued or running. */
bool flusher_busy(const struct flusher *f, unsigned id);

#endif
