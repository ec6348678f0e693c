// SPDX-License-Identifier: MIT
/* plan.c - placeholder until the module lands. */
