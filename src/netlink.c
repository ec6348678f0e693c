// SPDX-License-Identifier: MIT
/* netlink.c - placeholder until the module lands. */
