#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Decides one numeric comparison for tests/lib.sh's check_num.

  numexpr.py EXPR

EXPR may hold numbers, + - * / %, parentheses, abs(), min(), max(),
comparisons (chains like 0 < x <= 1 too), and, or, not. Exit 0 when it is
true, 1 when false, 2 (with the reason on stderr) when it is no such
expression: a name, a string or an empty term - what "timeout" or an
unset variable leave behind - is an error, never quietly false or true.
"""
import ast
import operator
import sys

BINARY = {ast.Add: operator.add, ast.Sub: operator.sub,
          ast.Mult: operator.mul, ast.Div: operator.truediv,
          ast.Mod: operator.mod}
COMPARE = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
           ast.GtE: operator.ge, ast.Eq: operator.eq, ast.NotEq: operator.ne}
FUNCS = {"abs": abs, "min": min, "max": max}


class Bad(Exception):
    pass


def value(n):
    if isinstance(n, ast.Constant) and type(n.value) in (int, float):
        return n.value
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
        v = value(n.operand)
        return -v if isinstance(n.op, ast.USub) else v
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not):
        return not value(n.operand)
    if isinstance(n, ast.BinOp) and type(n.op) in BINARY:
        return BINARY[type(n.op)](value(n.left), value(n.right))
    if isinstance(n, ast.BoolOp):
        vals = [value(v) for v in n.values]
        return all(vals) if isinstance(n.op, ast.And) else any(vals)
    if isinstance(n, ast.Compare):
        left = value(n.left)
        for op, right in zip(n.ops, n.comparators):
            if type(op) not in COMPARE:
                raise Bad("operator %s" % type(op).__name__)
            r = value(right)
            if not COMPARE[type(op)](left, r):
                return False
            left = r
        return True
    if (isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
            and n.func.id in FUNCS and not n.keywords):
        return FUNCS[n.func.id](*[value(a) for a in n.args])
    raise Bad("not a number: %s" % ast.unparse(n))


def main():
    if len(sys.argv) != 2:
        print("usage: numexpr.py EXPR", file=sys.stderr)
        return 2
    try:
        tree = ast.parse(sys.argv[1].strip(), mode="eval")
        return 0 if value(tree.body) else 1
    except (Bad, SyntaxError, ZeroDivisionError, TypeError) as e:
        print(str(e).splitlines()[0] if str(e) else type(e).__name__,
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
