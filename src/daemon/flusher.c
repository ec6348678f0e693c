// SPDX-License-Identifier: MIT
/*
 * flusher.c - conntrack flushes on a worker thread (flusher.h).
 *
 * The daemon is single-threaded but for this: the worker only ever calls
 * the flush function (conntrack_flush_mark(), which opens its own netlink
 * socket) and shares no memory with the loop. Jobs go to it through one pipe, results come
 * back through another (each a fixed struct well under PIPE_BUF, so every
 * write is atomic); the loop reads results as an ordinary descriptor.
 * Closing the job pipe tells the worker to stop once the queue is empty.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "base/log.h"
#include "daemon/flusher.h"
#include "daemon/loop.h"

#define FLUSHER_IDS 256

struct flush_job {
	unsigned id;
	char label[FLUSH_LABEL_MAX];
	uint32_t value, mask;
};

struct flusher {
	struct loop *loop;
	flush_fn flush;
	flush_done_fn done;
	void *ctx;
	pthread_t worker;
	int jobs[2]; /* loop writes [1], worker reads [0] */
	int results[2]; /* worker writes [1], loop reads [0] */
	unsigned pending[FLUSHER_IDS]; /* queued or running, per id */
};

static void *work(void *arg)
{
	struct flusher *f = arg;
	struct flush_job job;

	for (;;) {
		ssize_t n = read(f->jobs[0], &job, sizeof(job));
		struct flush_result r = { 0 };
		uint64_t t0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(job))
			break; /* closed: stop */
		t0 = now_us();
		r.id = job.id;
		memcpy(r.label, job.label, sizeof(r.label));
		r.err = f->flush(job.value, job.mask, &r.count);
		r.took_us = now_us() - t0;
		while (write(f->results[1], &r, sizeof(r)) < 0 &&
		       errno == EINTR)
			;
	}
	return NULL;
}

static void on_result(void *ctx, int fd, uint32_t events)
{
	struct flusher *f = ctx;
	struct flush_result r;

	(void)events;
	while (read(fd, &r, sizeof(r)) == sizeof(r)) {
		if (r.id < FLUSHER_IDS && f->pending[r.id])
			f->pending[r.id]--;
		f->done(f->ctx, &r);
	}
}

struct flusher *flusher_new(struct loop *loop, flush_fn flush,
			    flush_done_fn done, void *ctx)
{
	struct flusher *f = calloc(1, sizeof(*f));
	sigset_t all, old;
	int err;

	if (!f)
		return NULL;
	f->loop = loop;
	f->flush = flush;
	f->done = done;
	f->ctx = ctx;
	f->jobs[0] = f->jobs[1] = f->results[0] = f->results[1] = -1;
	if (pipe2(f->jobs, O_CLOEXEC) < 0 ||
	    pipe2(f->results, O_CLOEXEC | O_NONBLOCK) < 0)
		goto out_errno;
	/* Queuing never blocks the loop: a full pipe is -EAGAIN. */
	if (fcntl(f->jobs[1], F_SETFL, O_NONBLOCK) < 0)
		goto out_errno;
	if (loop_add(loop, f->results[0], EPOLLIN, on_result, f) < 0)
		goto out_errno;
	/* The worker takes no signal: they belong to the loop's signalfd. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&f->worker, NULL, work, f);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		loop_del(loop, f->results[0]);
		errno = err;
		goto out_errno;
	}
	return f;

out_errno:
	err = errno;
	for (int i = 0; i < 2; i++) {
		if (f->jobs[i] >= 0)
			close(f->jobs[i]);
		if (f->results[i] >= 0)
			close(f->results[i]);
	}
	free(f);
	errno = err;
	return NULL;
}

void flusher_free(struct flusher *f)
{
	if (!f)
		return;
	close(f->jobs[1]);
	pthread_join(f->worker, NULL);
	loop_del(f->loop, f->results[0]);
	close(f->jobs[0]);
	close(f->results[0]);
	close(f->results[1]);
	free(f);
}

int flusher_submit(struct flusher *f, unsigned id, const char *label,
		   uint32_t value, uint32_t mask)
{
	struct flush_job job = { .id = id, .value = value, .mask = mask };

	if (id >= FLUSHER_IDS)
		return -EINVAL;
	snprintf(job.label, sizeof(job.label), "%s", label);
	if (write(f->jobs[1], &job, sizeof(job)) != sizeof(job))
		return -errno;
	f->pending[id]++;
	return 0;
}

bool flusher_busy(const struct flusher *f, unsigned id)
{
	return f && id < FLUSHER_IDS && f->pending[id];
}
