// SPDX-License-Identifier: MIT
/* control.c - placeholder until the module lands. */
