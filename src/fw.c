// SPDX-License-Identifier: MIT
/* fw.c - placeholder until the module lands. */
