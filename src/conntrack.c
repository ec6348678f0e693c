// SPDX-License-Identifier: MIT
/* conntrack.c - placeholder until the module lands. */
