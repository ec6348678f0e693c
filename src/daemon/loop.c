// SPDX-License-Identifier: MIT
/*
 * loop.c - epoll + timerfd, one thread.
 *
 * The owner computes the next deadline (probes, timeouts) and calls
 * loop_run_once(); the loop arms one timerfd for it, so timing does not
 * depend on epoll_wait's millisecond rounding. Registrations live in a
 * small array searched linearly: ecmpd watches a few dozen descriptors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "daemon/loop.h"

struct watch {
	int fd;
	loop_fn fn;
	void *ctx;
};

struct loop {
	int epfd;
	int timerfd;
	uint64_t armed_ms; /* the deadline the timerfd holds; 0: none */
	uint64_t busy_max_ms; /* the longest dispatch of one wake-up */
	struct watch *watches;
	size_t n, cap;
};

struct loop *loop_new(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct loop *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0)
		goto out_free;
	l->timerfd =
		timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (l->timerfd < 0)
		goto out_close_ep;
	ev.data.fd = l->timerfd;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->timerfd, &ev) < 0)
		goto out_close_timer;
	return l;

out_close_timer:
	close(l->timerfd);
out_close_ep:
	close(l->epfd);
out_free:
	free(l);
	return NULL;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	close(l->timerfd);
	close(l->epfd);
	free(l->watches);
	free(l);
}

static struct watch *loop_find(struct loop *l, int fd)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->watches[i].fd == fd)
			return &l->watches[i];
	return NULL;
}

int loop_add(struct loop *l, int fd, uint32_t events, loop_fn fn, void *ctx)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	if (loop_find(l, fd))
		return -EEXIST;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct watch *w = realloc(l->watches, cap * sizeof(*w));

		if (!w)
			return -ENOMEM;
		l->watches = w;
		l->cap = cap;
	}
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	l->watches[l->n++] = (struct watch){ .fd = fd, .fn = fn, .ctx = ctx };
	return 0;
}

int loop_mod(struct loop *l, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -errno;
	return 0;
}

void loop_del(struct loop *l, int fd)
{
	struct watch *w = loop_find(l, fd);

	if (!w)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	*w = l->watches[--l->n];
}

static int loop_arm(struct loop *l, uint64_t deadline_ms)
{
	struct itimerspec its = { 0 };

	/* Most wake-ups leave the next deadline as it was. */
	if (deadline_ms == l->armed_ms)
		return 0;

	if (deadline_ms) {
		/* An absolute time of zero would disarm the timer. */
		its.it_value.tv_sec = deadline_ms / 1000;
		its.it_value.tv_nsec = (long)(deadline_ms % 1000) * 1000000 + 1;
	}
	if (timerfd_settime(l->timerfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		return -errno;
	l->armed_ms = deadline_ms;
	return 0;
}

static int dispatch(struct loop *l, const struct epoll_event *evs, int n);

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int loop_run_once(struct loop *l, uint64_t deadline_ms)
{
	struct epoll_event evs[32];
	uint64_t woke;
	int n, err;

	err = loop_arm(l, deadline_ms);
	if (err)
		return err;
	n = epoll_wait(l->epfd, evs, 32, -1);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	woke = monotonic_ms();
	err = dispatch(l, evs, n);
	if (monotonic_ms() - woke > l->busy_max_ms)
		l->busy_max_ms = monotonic_ms() - woke;
	return err;
}

uint64_t loop_busy_max_ms(const struct loop *l)
{
	return l->busy_max_ms;
}

/* Runs the callbacks of the n events in evs. */
static int dispatch(struct loop *l, const struct epoll_event *evs, int n)
{
	for (int i = 0; i < n; i++) {
		int fd = evs[i].data.fd;
		struct watch *w;

		if (fd == l->timerfd) {
			uint64_t expirations;

			/* Only drains; the owner looks at the clock itself. */
			if (read(fd, &expirations, sizeof(expirations)) < 0 &&
			    errno != EAGAIN)
				return -errno;
			/* A one-shot timer that fired holds nothing now. */
			l->armed_ms = 0;
			continue;
		}
		/* A callback may have removed this or another watch. */
		w = loop_find(l, fd);
		if (w)
			w->fn(w->ctx, fd, evs[i].events);
	}
	return 0;
}
