// SPDX-License-Identifier: MIT
/* probe.c - placeholder until the module lands. */
