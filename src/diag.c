// SPDX-License-Identifier: MIT
/* diag.c - placeholder until the module lands. */
