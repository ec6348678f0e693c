/* SPDX-License-Identifier: MIT */
/*
 * loop.h - the single-threaded event loop: epoll for file descriptors and
 * one timerfd armed for the next deadline the owner computes.
 */
#ifndef ECMPD_LOOP_H
#define ECMPD_LOOP_H

#include <stdint.h>

struct loop;

/* Called with the epoll events that fired for fd. */
typedef void (*loop_fn)(void *ctx, int fd, uint32_t events);

/* NULL with errno on failure. */
struct loop *loop_new(void);
void loop_free(struct loop *l);

/* Watches fd for events (EPOLLIN, ...). Returns 0 or -errno. */
int loop_add(struct loop *l, int fd, uint32_t events, loop_fn fn, void *ctx)
	__attribute__((warn_unused_result));
int loop_mod(struct loop *l, int fd, uint32_t events)
	__attribute__((warn_unused_result));
/* Stops watching fd (before the caller closes it). */
void loop_del(struct loop *l, int fd);

/*
 * Waits until a watched fd is ready or the monotonic clock reaches
 * deadline_ms (0: no deadline), runs the callbacks and returns 0, or
 * -errno. EINTR is not an error.
 */
int loop_run_once(struct loop *l, uint64_t deadline_ms);

/*
 * The longest time, in ms, the callbacks of one wake-up took since the
 * loop was made: how long a probe, a timer or a request may have waited
 * behind the others (a status at a million connections must not make it
 * grow: the count is a worker's, status.c).
 */
uint64_t loop_busy_max_ms(const struct loop *l);

#endif
