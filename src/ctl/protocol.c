// SPDX-License-Identifier: MIT
/*
 * protocol.c - what both ends of the control socket compute alike: the
 * socket's address. The wire format itself is described in protocol.h.
 * This file is its own object so that ecmpd, which links it for the
 * server, does not also pull in the client.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "ctl/protocol.h"

int control_sockaddr(struct sockaddr_un *sun, const char *path)
{
	size_t len = strlen(path);

	if (len == 0)
		return -EINVAL;
	if (len >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, len + 1);
	return 0;
}
