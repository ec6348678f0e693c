// SPDX-License-Identifier: MIT
/* health.c - placeholder until the module lands. */
