/* SPDX-License-Identifier: MIT */
/*
 * notify.h - systemd's readiness protocol (sd_notify(3)) without
 * libsystemd: one datagram to $NOTIFY_SOCKET.
 */
#ifndef ECMPD_NOTIFY_H
#define ECMPD_NOTIFY_H

/*
 * Sends state ("READY=1", "RELOADING=1", "STATUS=...", several separated
 * by newlines) to the socket named by $NOTIFY_SOCKET. Without that
 * variable (not started by systemd with Type=notify) it does nothing.
 * Returns 0, or -errno when the variable is set but sending failed.
 */
int notify_send(const char *state) __attribute__((warn_unused_result));

/*
 * Tells systemd the daemon is ready: the first plan is applied and the
 * control socket answers. Logs a failure; returns 0 or -errno.
 */
int notify_ready(void);

#endif
