// SPDX-License-Identifier: MIT
/* config.c - placeholder until the module lands. */
