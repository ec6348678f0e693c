// SPDX-License-Identifier: MIT
/* sysctl.c - placeholder until the module lands. */
