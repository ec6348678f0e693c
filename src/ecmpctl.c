// SPDX-License-Identifier: MIT
/*
 * ecmpctl.c - placeholder until the control client lands; it exists so the
 * build can be configured.
 */
#include <stdio.h>

int main(void)
{
	fputs("ecmpctl: not implemented yet\n", stderr);
	return 2;
}
