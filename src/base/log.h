/* SPDX-License-Identifier: MIT */
/*
 * log.h - the daemon's log, its only global state (as in OpenBSD's log.c).
 * Lines go to stderr with a level prefix; debug lines only when verbose.
 */
#ifndef ECMPD_LOG_H
#define ECMPD_LOG_H

#include <stdbool.h>
#include <stdint.h>

void log_init(bool verbose);
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* CLOCK_MONOTONIC in milliseconds and microseconds. */
uint64_t now_ms(void);
uint64_t now_us(void);

#endif
