// SPDX-License-Identifier: MIT
/* ruleset.c - placeholder until the module lands. */
