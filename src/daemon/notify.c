// SPDX-License-Identifier: MIT
/*
 * notify.c - sd_notify(3) in a few lines.
 *
 * systemd starts a Type=notify service with $NOTIFY_SOCKET naming a
 * datagram socket, a path or an abstract name written with a leading '@';
 * the service sends "READY=1" to it once it serves. Linking libsystemd for
 * this one datagram would add a dependency to a daemon that otherwise
 * needs nothing from systemd, and the protocol is documented as stable.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/log.h"
#include "daemon/notify.h"

int notify_send(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len, state_len = strlen(state);
	socklen_t salen;
	ssize_t n;
	int fd, err = 0;

	if (!path || !path[0])
		return 0;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(sa.sun_path))
		return -EINVAL;
	memcpy(sa.sun_path, path, len);
	/* '@' stands for the abstract namespace's leading NUL. */
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	n = sendto(fd, state, state_len, MSG_NOSIGNAL, (struct sockaddr *)&sa,
		   salen);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != state_len)
		err = -EMSGSIZE;
	close(fd);
	return err;
}

int notify_ready(void)
{
	int err = notify_send("READY=1\nSTATUS=running");

	if (err)
		log_warn("telling systemd we are ready: %s", strerror(-err));
	return err;
}
