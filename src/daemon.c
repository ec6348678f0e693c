// SPDX-License-Identifier: MIT
/* daemon.c - placeholder until the module lands. */
