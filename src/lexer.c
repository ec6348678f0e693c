// SPDX-License-Identifier: MIT
/* lexer.c - placeholder until the module lands. */
