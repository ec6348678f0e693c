// SPDX-License-Identifier: MIT
/* parser.c - placeholder until the module lands. */
