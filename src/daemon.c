// SPDX-License-Identifier: MIT
/* daemon.c - placeholder until the daemon lands. */
#include <stdio.h>

#include "daemon.h"

int daemon_run(const struct daemon_options *opt)
{
	fprintf(stderr, "ecmpd: the daemon is not built yet (%s)\n",
		opt->config_path);
	return 1;
}
