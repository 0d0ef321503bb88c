// Python snippets with the output CPython prints for them (generated once with python3 during
// development; the tests never run Python). Float sums follow CPython 3.12 (compensated).
export interface SemanticsCase {
  name: string;
  src: string;
  expected: string;
}

export const SEMANTICS_CASES: SemanticsCase[] = [
  {
    name: "datetime.strptime: numeric and English-name directives, %p with %I, %f, %z (Z and offsets), %j, whitespace, CPython's ValueErrors (no match, unconverted data, a day out of range)",
    src: "from datetime import datetime\n\ndef main():\n    out = []\n    for s, f in [(\"2025-03-14 09:30\", \"%Y-%m-%d %H:%M\"), (\"14/03/25\", \"%d/%m/%y\"), (\"Mar 5 2024  7:05:09 PM\", \"%b %d %Y %I:%M:%S %p\"),\n                 (\"2025-03-14T09:30:00.123+0200\", \"%Y-%m-%dT%H:%M:%S.%f%z\"), (\"2025-03-14T09:30:00Z\", \"%Y-%m-%dT%H:%M:%S%z\"),\n                 (\"March 14, 2025\", \"%B %d, %Y\"), (\"2025 073\", \"%Y %j\"), (\"Friday 2025-03-14\", \"%A %Y-%m-%d\"),\n                 (\"2025-03-14 extra\", \"%Y-%m-%d\"), (\"14-03-2025\", \"%Y-%m-%d\"), (\"2025-02-30\", \"%Y-%m-%d\"), (\"12 am\", \"%I %p\")]:\n        try:\n            d = datetime.strptime(s, f)\n            out.append(d.isoformat())\n        except ValueError as e:\n            out.append(f\"ValueError: {e}\")\n    return out\n\nfor x in main():\n    print(x)\n",
    expected: "2025-03-14T09:30:00\n2025-03-14T00:00:00\n2024-03-05T19:05:09\n2025-03-14T09:30:00.123000+02:00\n2025-03-14T09:30:00+00:00\n2025-03-14T00:00:00\n2025-03-14T00:00:00\n2025-03-14T00:00:00\nValueError: unconverted data remains:  extra\nValueError: time data '14-03-2025' does not match format '%Y-%m-%d'\nValueError: day is out of range for month\n1900-01-01T00:00:00\n",
  },
  {
    name: "printf-style % formatting: an unknown conversion character is a ValueError once its argument is taken (\"50%|\" % () is a TypeError), a trailing % an incomplete format",
    src: "for fmt, args in [(\"50%|\", ()), (\"50%|\", (1,)), (\"50%\", ()), (\"%d%%\", (5,)), (\"%5.2f|%-4s|\", (3.14159, \"ab\")), (\"%(a)s-%(b)d\", {\"a\": \"x\", \"b\": 2}), (\"%ld\", (7,)), (\"100%\", (1,)), (\"%z\", 1)]:\n    try:\n        print(repr(fmt % args))\n    except (TypeError, ValueError) as e:\n        print(type(e).__name__, e)\n",
    expected: "TypeError not enough arguments for format string\nValueError unsupported format character '|' (0x7c) at index 3\nValueError incomplete format\n'5%'\n' 3.14|ab  |'\n'x-2'\n'7'\nValueError incomplete format\nValueError unsupported format character 'z' (0x7a) at index 1\n",
  },
  {
    name: "type(name, bases, dict) makes a class: namespace, bases, __annotations__, the caller's module",
    src: "class Base:\n    def hello(self):\n        return \"hi \" + self.name\nDyn = type(\"Dyn\", (Base,), {\"__annotations__\": {\"id\": str, \"n\": int}, \"name\": \"dyn\", \"shout\": lambda self: self.hello().upper()})\nd = Dyn()\nprint(Dyn.__name__, Dyn.__qualname__, Dyn.__module__, Dyn.__annotations__, isinstance(d, Base), d.hello(), d.shout(), type(Dyn).__name__)\ntry:\n    type(\"X\", [], {})\nexcept TypeError as e:\n    print(\"TypeError\", e)\ntry:\n    type(\"X\", (), {}, 1)\nexcept TypeError as e:\n    print(\"TypeError\", e)\n",
    expected: "Dyn Dyn __main__ {'id': <class 'str'>, 'n': <class 'int'>} True hi dyn HI DYN type\nTypeError type.__new__() argument 2 must be tuple, not list\nTypeError type() takes 1 or 3 arguments\n",
  },
  {
    name: "functools.wraps copies name, qualname, __doc__ and __dict__ and sets __wrapped__; inspect.iscoroutinefunction",
    src: "import functools, inspect\ndef original(a, b=2):\n\n    return a + b\noriginal.tag = \"t\"\n@functools.wraps(original)\ndef wrapper(*args, **kwargs):\n    return original(*args, **kwargs) * 10\nprint(wrapper.__name__, wrapper.__qualname__, wrapper.__doc__, wrapper.__wrapped__ is original, wrapper.tag, wrapper(1))\nasync def co():\n    return 1\nasync def agen():\n    yield 1\nclass K:\n    async def m(self):\n        return 1\n    def s(self):\n        return 1\nprint(inspect.iscoroutinefunction(co), inspect.iscoroutinefunction(agen), inspect.iscoroutinefunction(K().m), inspect.iscoroutinefunction(K.s), inspect.iscoroutinefunction(print), inspect.iscoroutinefunction(None), inspect.iscoroutinefunction(K))\n",
    expected: "original original None True t 30\nTrue False True False False False False\n",
  },
  {
    name: "arithmetic int and float",
    src: "print(3/2, 7//2, -7//2, -7 % 3, 7 % -3, 2**-1, 10**20, 2**64 - 1, -2**63, 10**20 // 3, 7.0 // 2, -7.5 % 2, 2**0.5)\nprint(1 == 1.0, 1 == True, 0.1 + 0.2, 1/3, 3 * 1.0, 6 / 3, 1e308 * 10, -(5), +3, ~5, 5 & 3, 5 | 3, 5 ^ 3, 1 << 70, 2**53 + 1)\n",
    expected: "1.5 3 -4 2 -2 0.5 100000000000000000000 18446744073709551615 -9223372036854775808 33333333333333333333 3.0 0.5 1.4142135623730951\nTrue True 0.30000000000000004 0.3333333333333333 3.0 2.0 inf -5 3 -6 1 7 6 1180591620717411303424 9007199254740993\n",
  },
  {
    name: "float repr and str",
    src: "print(repr(1e16), repr(1e15), repr(1e-5), repr(0.0001), repr(1.5e300), repr(-0.0), float(\"inf\"), float(\"-inf\"), str(3.0), str(-1e-7), 1e22, float(\"1e21\"), 100.0, 2.5e-3)\n",
    expected: "1e+16 1000000000000000.0 1e-05 0.0001 1.5e+300 -0.0 inf -inf 3.0 -1e-07 1e+22 1e+21 100.0 0.0025\n",
  },
  {
    name: "round is banker's rounding",
    src: "print(round(2.5), round(3.5), round(-2.5), round(0.125, 2), round(2.675, 2), round(7, -1), round(15, -1), round(25, -1), round(3.14159, 3), round(1.5), type(round(2.5)).__name__, type(round(2.5, 1)).__name__)\n",
    expected: "2 4 -2 0.12 2.67 10 20 20 3.142 2 int float\n",
  },
  {
    name: "int and float conversions",
    src: "print(int(\"  12 \"), int(3.9), int(-3.9), int(\"ff\", 16), int(True), float(\"3\"), float(2), float(\" 1.5 \"), int(\"1_000\"), str(10**30), bool(0.0), bool(-1))\n",
    expected: "12 3 -3 255 1 3.0 2.0 1.5 1000 1000000000000000000000000000000 False True\n",
  },
  {
    name: "f-strings and format specs",
    src: "x = 7\ns = \"abc\"\nprint(f\"{x:>5}|{3.14159:.2f}|{1234567:,}|{s!r}|{5:03d}|{'ab':>5}|{2.5:g}|{1e-5:g}|{123456789.0:g}|{0.5:%}|{42:x}|{42:#x}|{3:>{5}}|{3.0!r}|{-1.5:+.1f}|{x=}|{s:^7}|{1234.5:,.2f}|{True}|{None}|{[1, 'a']}\")\n",
    expected: "    7|3.14|1,234,567|'abc'|005|   ab|2.5|1e-05|1.23457e+08|50.000000%|2a|0x2a|    3|3.0|-1.5|x=7|  abc  |1,234.50|True|None|[1, 'a']\n",
  },
  {
    name: "percent formatting",
    src: "print(\"%5s|%-5s|%05.1f|%x|%%|%c|%d\" % (\"a\", \"b\", 3.14159, 255, 65, 3.9), \"%(a)s-%(b)r\" % {\"a\": 1, \"b\": \"x\"}, \"%s\" % [1, 2], \"%.3f\" % 2.0, \"%d items\" % 3)\n",
    expected: "    a|b    |003.1|ff|%|A|3 1-'x' [1, 2] 2.000 3 items\n",
  },
  {
    name: "str.format",
    src: "print(\"{:>8}|{:<6}|{:^7}|{:08.3f}|{:+d}\".format(\"r\", \"l\", \"c\", 3.14159, 5), \"{0}-{1}-{0}\".format(\"a\", \"b\"), \"{name}={v!r}\".format(name=\"k\", v=\"x\"), \"{0[1]}/{1[k]}\".format([1, 2], {\"k\": 3}), \"{{}}{}\".format(1))\n",
    expected: "       r|l     |   c   |0003.142|+5 a-b-a k='x' 2/3 {}1\n",
  },
  {
    name: "str methods",
    src: "print(\"a,b,,c\".split(\",\"), \" a  b \".split(), \"abc\".split(\"b\", 1), \"a b c\".rsplit(\" \", 1), \"x\".join([\"1\", \"2\"]), \"  hi \".strip(), \"xxhixx\".strip(\"x\"), \"Hello World\".lower(), \"hello world\".title(), \"7\".zfill(3), \"-7\".zfill(4))\nprint(\"abc\".find(\"c\"), \"abc\".find(\"z\"), \"a-b-c\".replace(\"-\", \"+\", 1), \"abc\".startswith((\"x\", \"a\")), \"abc\".endswith(\"bc\"), \"12\".isdigit(), \"ab\".isalpha(), \"abc\".center(7, \"*\"), \"ab\".ljust(4, \".\"), \"ab\".rjust(4), \"Ab\".swapcase(), \"hello\".capitalize(), \"a\\nb\".splitlines(), \"k=v\".partition(\"=\"), \"abcabc\".count(\"b\"), \"prefix_x\".removeprefix(\"prefix_\"))\nprint(repr(\"a'b\"), repr('a\"b\\x01é\\n'), repr(\"tab\\there\"), len(\"héllo\"), \"é\".encode(), \"abc\"[::-1], \"abc\"[1:], \"abc\"[-1], \"ab\" * 3, \"a\" + \"b\", \"b\" in \"abc\", \"%s\" % \"x\", str(b\"xy\"))\n",
    expected: "['a', 'b', '', 'c'] ['a', 'b'] ['a', 'c'] ['a b', 'c'] 1x2 hi hi hello world Hello World 007 -007\n2 -1 a+b-c True True True True **abc** ab..   ab aB Hello ['a', 'b'] ('k', '=', 'v') 2 x\n\"a'b\" 'a\"b\\x01é\\n' 'tab\\there' 5 b'\\xc3\\xa9' cba bc c ababab ab True x b'xy'\n",
  },
  {
    name: "list methods",
    src: "l = [3, 1, 2]\nl.append(5); l.extend([9, 8]); l.insert(0, 7)\nprint(l, l.pop(), l.pop(0), l, l.index(2), l.count(1))\nl.sort(); print(l)\nl.sort(key=lambda x: -x); print(l)\nl.reverse(); print(l, l.copy(), l[::2], l[-2:], l[::-1][1:3], l * 2, l + [0], len(l))\nl.remove(2); print(l, 5 in l, [1, [2, 3]], [] == [], [1, 2] < [1, 3], [1, 2] == [1, 2.0])\ndel l[0]; print(l)\nl[1:3] = [\"a\", \"b\", \"c\"]; print(l)\n",
    expected: "[3, 1, 2, 5, 9] 8 7 [3, 1, 2, 5, 9] 2 1\n[1, 2, 3, 5, 9]\n[9, 5, 3, 2, 1]\n[1, 2, 3, 5, 9] [1, 2, 3, 5, 9] [1, 3, 9] [5, 9] [5, 3] [1, 2, 3, 5, 9, 1, 2, 3, 5, 9] [1, 2, 3, 5, 9, 0] 5\n[1, 3, 5, 9] True [1, [2, 3]] True True True\n[3, 5, 9]\n[3, 'a', 'b', 'c']\n",
  },
  {
    name: "dict methods and ordering",
    src: "d = {\"b\": 1, \"a\": 2}\nd.update({\"c\": 3}, d=4)\nprint(d, d.pop(\"a\"), d, d.setdefault(\"e\", 5), d, list(d.keys()), list(d.values()), d.get(\"zz\"), \"b\" in d, len(d), d.items())\nprint({1: \"a\", True: \"b\", 1.0: \"c\"}, {(1, 2): 3}[(1, 2)], {None: 1}, dict(a=1, b=2), dict([(\"x\", 1)]), dict.fromkeys([\"a\", \"b\"], 0), {**{\"a\": 1}, \"b\": 2, **{\"a\": 3}})\nd2 = {}\nd2[\"x\"] = 1\nd2[\"y\"] = 2\nd2[\"x\"] = 3\ndel d2[\"y\"]\nd2[\"y\"] = 4\nprint(d2, d2.copy() == d2, {\"a\": [1]} == {\"a\": [1]}, d2.popitem(), d2)\n",
    expected: "{'b': 1, 'c': 3, 'd': 4, 'e': 5} 2 {'b': 1, 'c': 3, 'd': 4, 'e': 5} 5 {'b': 1, 'c': 3, 'd': 4, 'e': 5} ['b', 'c', 'd', 'e'] [1, 3, 4, 5] None True 4 dict_items([('b', 1), ('c', 3), ('d', 4), ('e', 5)])\n{1: 'c'} 3 {None: 1} {'a': 1, 'b': 2} {'x': 1} {'a': 0, 'b': 0} {'a': 3, 'b': 2}\n{'x': 3} True True ('y', 4) {'x': 3}\n",
  },
  {
    name: "sets",
    src: "s = {3, 1, 2}\ns.add(4); s.discard(9)\nprint(sorted(s), {1, 2} | {3}, {1, 2} & {2, 3}, {1, 2} - {2}, {1, 2} ^ {2, 3}, set(), frozenset([1]), {1, 2} <= {1, 2, 3}, len({1, 1.0, True}), {1, 2}.union([3]), {1, 2}.issubset({1, 2, 5}))\n",
    expected: "[1, 2, 3, 4] {1, 2, 3} {2} {1} {1, 3} set() frozenset({1}) True 1 {1, 2, 3} True\n",
  },
  {
    name: "range enumerate zip map filter",
    src: "print(list(range(10))[1:8:3], list(range(10, 0, -3)), range(5), range(1, 5, 2), len(range(0, 10, 3)), 5 in range(10), list(reversed([1, 2, 3])), range(10)[2], range(10)[::2])\nprint(list(enumerate(\"ab\", 1)), list(zip([1, 2, 3], \"ab\")), list(map(str, [1, 2])), list(map(lambda a, b: a + b, [1, 2], [10, 20])), list(filter(None, [0, 1, 2, None])), list(filter(lambda v: v % 2, range(6))))\n",
    expected: "[1, 4, 7] [10, 7, 4, 1] range(0, 5) range(1, 5, 2) 4 True [3, 2, 1] 2 range(0, 10, 2)\n[(1, 'a'), (2, 'b')] [(1, 'a'), (2, 'b')] ['1', '2'] [11, 22] [1, 2] [1, 3, 5]\n",
  },
  {
    name: "aggregate builtins",
    src: "print(any(x > 2 for x in [1, 3]), all([]), any([]), min([3, 1, 2]), max(\"abc\"), max([], default=0), min(3, 1, 2, key=lambda x: -x), max({\"a\": 3, \"b\": 5}, key=lambda k: {\"a\": 3, \"b\": 5}[k]))\nprint(sum([1.5, 2]), sum([[1], [2]], []), sum(range(101)), abs(-3), abs(-2.5), divmod(7, -2), divmod(-7, 2), pow(2, 10), pow(2, 10, 1000), sorted([\"b\", \"A\", \"c\"]), sorted([(2, \"b\"), (1, \"z\"), (2, \"a\")]), sorted({\"x\": 2, \"y\": 1}.items(), key=lambda kv: kv[1]), sorted([3, 1, 2], reverse=True))\n",
    expected: "True True False 1 c 0 3 b\n3.5 [1, 2] 5050 3 2.5 (-4, -1) (-4, 1) 1024 24 ['A', 'b', 'c'] [(1, 'z'), (2, 'a'), (2, 'b')] [('y', 1), ('x', 2)] [3, 2, 1]\n",
  },
  {
    name: "isinstance type repr hasattr getattr",
    src: "class K:\n    a = 1\nk = K()\nprint(isinstance(True, int), isinstance(1, (str, int)), isinstance(1.0, float), isinstance([], list), isinstance({}, dict), isinstance(None, type(None)), type(1).__name__, type(\"x\"), type(None), type(K()).__name__, type(k) is K, hasattr(k, \"a\"), hasattr(k, \"b\"), getattr(k, \"b\", 9), callable(len), callable(k))\nprint(repr([1, \"a\", None, 1.0, (1,), {\"k\": (2, 3)}]), repr(()), repr((1, 2)), repr(set()), str(None), repr(True), ord(\"a\"), chr(98), hex(255), bin(5), oct(8), repr(K) if False else \"K\")\n",
    expected: "True True True True True True int <class 'str'> <class 'NoneType'> K True True False 9 True False\n[1, 'a', None, 1.0, (1,), {'k': (2, 3)}] () (1, 2) set() None True 97 b 0xff 0b101 0o10 K\n",
  },
  {
    name: "truthiness and boolean operators",
    src: "print(bool(0), bool(\"\"), bool([0]), bool(None), not [], [] or \"x\", 0 and 1, 1 and 2, None or 0, 1 < 2 < 3, 1 < 2 > 3, \"a\" not in \"abc\", 3 if 0 else 4, not None, (1, 2) == (1, 2), None == 0)\n",
    expected: "False False True False True x 0 2 0 True False False 4 True True False\n",
  },
  {
    name: "comprehensions",
    src: "x = [i * j for i in range(1, 4) for j in range(i) if (i + j) % 2]\nprint(x, {i: i ** 2 for i in range(4)}, {c for c in \"hello\"} == set(\"helo\"), list(i for i in range(3)), [[j for j in range(i)] for i in range(3)], [y for y in [1, 2, 3] if y > 1 if y < 3])\ng = (i * 2 for i in range(3))\nprint(next(g), next(g), list(g), sum(i for i in range(5)), dict((k, v) for k, v in [(\"a\", 1)]))\n",
    expected: "[0, 2, 0, 6] {0: 0, 1: 1, 2: 4, 3: 9} True [0, 1, 2] [[], [0], [0, 1]] [2]\n0 2 [4] 10 {'a': 1}\n",
  },
  {
    name: "unpacking",
    src: "a, *b, c = range(5); print(a, b, c)\n(p, q), r = (1, 2), 3; print(p, q, r)\nfirst, second = \"xy\"; print(first, second)\nm, n = n, m = 1, 2\nprint(m, n)\nfor i, (k, v) in enumerate({\"a\": 1}.items()): print(i, k, v)\nprint(*[1, 2], *\"ab\", sep=\"-\")\nprint([*range(3), *[9]], {*[1, 2], 3}, (*[1], 2))\n",
    expected: "0 [1, 2, 3] 4\n1 2 3\nx y\n2 1\n0 a 1\n1-2-a-b\n[0, 1, 2, 9] {1, 2, 3} (1, 2)\n",
  },
  {
    name: "functions parameters",
    src: "def fn(a, b=2, *args, c, d=4, **kw):\n    return (a, b, args, c, d, kw)\nprint(fn(1, c=3), fn(1, 2, 3, 4, c=5, e=6), fn(*[1, 2], **{\"c\": 7}))\ndef po(a, /, b, *, c=1):\n    return a + b + c\nprint(po(1, 2), po(1, b=2, c=3))\ndef defaults(x, acc=[]):\n    acc.append(x)\n    return acc\ndefaults(1); print(defaults(2))\n",
    expected: "(1, 2, (), 3, 4, {}) (1, 2, (3, 4), 5, 4, {'e': 6}) (1, 2, (), 7, 4, {})\n4 6\n[1, 2]\n",
  },
  {
    name: "closures nonlocal global lambda",
    src: "def counter():\n    n = 0\n    def inc():\n        nonlocal n\n        n += 1\n        return n\n    return inc\ninc = counter(); inc(); print(inc(), (lambda x, y=3: x * y)(2))\nG = 1\ndef setg():\n    global G\n    G = 5\nsetg(); print(G)\nfs = [lambda i=i: i for i in range(3)]\nprint([f() for f in fs])\n",
    expected: "2 6\n5\n[0, 1, 2]\n",
  },
  {
    name: "classes inheritance properties",
    src: "class Animal:\n    kind = \"animal\"\n    count = 0\n    def __init__(self, name):\n        self.name = name\n        Animal.count += 1\n    def speak(self):\n        return f\"{self.name} makes a sound\"\n    @property\n    def upper(self):\n        return self.name.upper()\n    @staticmethod\n    def s(x): return x * 2\n    @classmethod\n    def make(cls, n): return cls(n)\n    def __str__(self): return f\"Animal<{self.name}>\"\n    def __repr__(self): return f\"A({self.name!r})\"\n    def __eq__(self, other): return isinstance(other, Animal) and other.name == self.name\n    def __len__(self): return len(self.name)\nclass Dog(Animal):\n    def speak(self):\n        return super().speak() + \" (woof)\"\ndg = Dog.make(\"rex\")\nprint(dg.speak(), dg.upper, Dog.s(4), str(dg), dg.kind, isinstance(dg, Animal), type(dg).__name__, Dog.__name__, hasattr(dg, \"name\"), getattr(dg, \"zz\", 9), [dg], dg == Dog(\"rex\"), len(dg), Animal.count, bool(dg))\nclass Vec:\n    def __init__(self, x, y): self.x, self.y = x, y\n    def __add__(self, o): return Vec(self.x + o.x, self.y + o.y)\n    def __mul__(self, k): return Vec(self.x * k, self.y * k)\n    def __lt__(self, o): return self.x < o.x\n    def __getitem__(self, i): return (self.x, self.y)[i]\n    def __contains__(self, v): return v in (self.x, self.y)\n    def __repr__(self): return f\"Vec({self.x}, {self.y})\"\nprint(Vec(1, 2) + Vec(3, 4), Vec(1, 2) * 3, Vec(1, 2) < Vec(2, 0), Vec(5, 6)[1], 6 in Vec(5, 6), sorted([Vec(3, 0), Vec(1, 0)]))\n",
    expected: "rex makes a sound (woof) REX 8 Animal<rex> animal True Dog Dog True 9 [A('rex')] True 3 2 True\nVec(4, 6) Vec(3, 6) True 6 True [Vec(1, 0), Vec(3, 0)]\n",
  },
  {
    name: "dataclasses and enums",
    src: "from dataclasses import dataclass, field, asdict\nfrom enum import Enum, IntEnum\nfrom typing import List, Optional\n@dataclass\nclass Item:\n    name: str\n    price: float = 0.0\n    tags: List[str] = field(default_factory=list)\nit = Item(\"a\", 1.5)\nprint(it, it == Item(\"a\", 1.5), Item(\"b\"), asdict(it), Item(name=\"z\", tags=[\"t\"]).tags)\nclass Color(Enum):\n    RED = \"red\"\n    BLUE = \"blue\"\nclass Pri(IntEnum):\n    LOW = 1\n    HIGH = 2\nclass Status(str, Enum):\n    OPEN = \"open\"\nprint(Color.RED, Color.RED.value, Color(\"blue\"), list(Color), Color.RED == Color.RED, repr(Color.BLUE), Color[\"RED\"].name, Pri.HIGH > Pri.LOW, Pri.HIGH == 2, Status.OPEN == \"open\", len(Color), Color.RED in Color, Status(\"open\").name)\n",
    expected: "Item(name='a', price=1.5, tags=[]) True Item(name='b', price=0.0, tags=[]) {'name': 'a', 'price': 1.5, 'tags': []} ['t']\nColor.RED red Color.BLUE [<Color.RED: 'red'>, <Color.BLUE: 'blue'>] True <Color.BLUE: 'blue'> RED True True True 2 True OPEN\n",
  },
  {
    name: "exceptions",
    src: "class MyErr(Exception):\n    def __init__(self, msg, code):\n        super().__init__(msg)\n        self.code = code\ntry:\n    raise MyErr(\"bad\", 42)\nexcept ValueError:\n    print(\"no\")\nexcept MyErr as e:\n    print(\"caught\", e, e.code, repr(e), e.args)\nelse:\n    print(\"else\")\nfinally:\n    print(\"finally\")\ndef tf():\n    try:\n        return 1\n    finally:\n        print(\"tf finally\")\nprint(tf())\nfor expr in [\"[][1]\", \"{}['k']\", \"int('x')\", \"1/0\", \"1//0\", \"1 % 0\", \"None.x\", \"'a' + 1\", \"1 + 'a'\", \"[] + ()\", \"len(5)\", \"undefined_name\", \"[1].index(5)\", \"(1, 2)[5]\", \"'abc'[10]\", \"1.0 / 0\", \"hash([])\", \"'a' < 1\", \"None()\"]:\n    try:\n        eval_result = None\n        exec_map = {\n            \"[][1]\": lambda: [][1], \"{}['k']\": lambda: {}['k'], \"int('x')\": lambda: int('x'), \"1/0\": lambda: 1/0, \"1//0\": lambda: 1//0,\n            \"1 % 0\": lambda: 1 % 0, \"None.x\": lambda: None.x, \"'a' + 1\": lambda: 'a' + 1, \"1 + 'a'\": lambda: 1 + 'a', \"[] + ()\": lambda: [] + (),\n            \"len(5)\": lambda: len(5), \"undefined_name\": lambda: undefined_name, \"[1].index(5)\": lambda: [1].index(5), \"(1, 2)[5]\": lambda: (1, 2)[5],\n            \"'abc'[10]\": lambda: 'abc'[10], \"1.0 / 0\": lambda: 1.0 / 0, \"hash([])\": lambda: hash([]), \"'a' < 1\": lambda: 'a' < 1, \"None()\": lambda: None(),\n        }\n        exec_map[expr]()\n    except Exception as e:\n        print(type(e).__name__, \"|\", e)\ntry:\n    try:\n        raise KeyError(\"inner\")\n    except KeyError:\n        raise ValueError(\"outer\")\nexcept ValueError as e:\n    print(\"chained\", e)\ntry:\n    assert 1 == 2, \"nope\"\nexcept AssertionError as e:\n    print(\"assert\", e)\ndef reraiser():\n    try:\n        raise TypeError(\"t\")\n    except TypeError:\n        raise\ntry:\n    reraiser()\nexcept TypeError as e:\n    print(\"reraised\", e)\n",
    expected: "caught bad 42 MyErr('bad') ('bad',)\nfinally\ntf finally\n1\nIndexError | list index out of range\nKeyError | 'k'\nValueError | invalid literal for int() with base 10: 'x'\nZeroDivisionError | division by zero\nZeroDivisionError | integer division or modulo by zero\nZeroDivisionError | integer modulo by zero\nAttributeError | 'NoneType' object has no attribute 'x'\nTypeError | can only concatenate str (not \"int\") to str\nTypeError | unsupported operand type(s) for +: 'int' and 'str'\nTypeError | can only concatenate list (not \"tuple\") to list\nTypeError | object of type 'int' has no len()\nNameError | name 'undefined_name' is not defined\nValueError | 5 is not in list\nIndexError | tuple index out of range\nIndexError | string index out of range\nZeroDivisionError | float division by zero\nTypeError | unhashable type: 'list'\nTypeError | '<' not supported between instances of 'str' and 'int'\nTypeError | 'NoneType' object is not callable\nchained outer\nassert nope\nreraised t\n",
  },
  {
    name: "loops with break continue else",
    src: "for i in range(3):\n    if i == 1: continue\n    print(\"i\", i)\nelse:\n    print(\"loop else\")\nfor i in range(3):\n    if i == 1: break\nelse:\n    print(\"not printed\")\nn = 0\nwhile True:\n    n += 1\n    if n > 3: break\nprint(n)\nk = 0\nwhile k < 2:\n    k += 1\nelse:\n    print(\"while else\", k)\n",
    expected: "i 0\ni 2\nloop else\n4\nwhile else 2\n",
  },
  {
    name: "augmented assignment targets",
    src: "a = [1, 2]\na += [3]\na[0] += 10\nd = {\"x\": 1}\nd[\"x\"] *= 5\nclass O: pass\no = O()\no.v = 2\no.v **= 3\ns = \"a\"\ns += \"b\"\nt = (1,)\nt += (2,)\nprint(a, d, o.v, s, t)\nx = 10; x //= 3; print(x); x -= 1; print(x); x %= 2; print(x); x |= 4; print(x); x <<= 2; print(x)\n",
    expected: "[11, 2, 3] {'x': 5} 8 ab (1, 2)\n3\n2\n0\n4\n16\n",
  },
  {
    name: "with statement user context manager",
    src: "class CM:\n    def __init__(self, name): self.name = name\n    def __enter__(self):\n        print(\"enter\", self.name)\n        return self.name.upper()\n    def __exit__(self, et, ev, tb):\n        print(\"exit\", self.name, et.__name__ if et else None)\n        return et is KeyError\nwith CM(\"a\") as v, CM(\"b\") as w:\n    print(\"body\", v, w)\nwith CM(\"c\"):\n    raise KeyError(\"swallowed\")\nprint(\"after\")\n",
    expected: "enter a\nenter b\nbody A B\nexit b None\nexit a None\nenter c\nexit c KeyError\nafter\n",
  },
  {
    name: "async def await asyncio",
    src: "import asyncio\nasync def double(n):\n    await asyncio.sleep(0)\n    return n * 2\nasync def main():\n    total = 0\n    for i in range(3):\n        total += await double(i)\n    results = await asyncio.gather(double(1), double(2))\n    return total, results\nprint(asyncio.run(main()))\n",
    expected: "(6, [2, 4])\n",
  },
  {
    name: "json dumps loads",
    src: "import json\nprint(json.dumps({\"a\": [1, 2.0, None, True], \"b\": \"é\", \"c\": {\"d\": []}}), json.dumps({\"a\": 1, \"b\": [1, 2]}, indent=2), json.loads('{\"x\": [1, 2.5, \"s\", null, true]}'))\nprint(json.dumps({\"b\": 1, \"a\": 2}, sort_keys=True), json.dumps(\"é\", ensure_ascii=False), json.dumps((1, 2)), json.dumps({5: \"k\", None: 1}), json.dumps([1.0, 1e20]), json.dumps({\"a\": 1}, separators=(\",\", \":\")))\n",
    expected: "{\"a\": [1, 2.0, null, true], \"b\": \"\\u00e9\", \"c\": {\"d\": []}} {\n  \"a\": 1,\n  \"b\": [\n    1,\n    2\n  ]\n} {'x': [1, 2.5, 's', None, True]}\n{\"a\": 2, \"b\": 1} \"é\" [1, 2] {\"5\": \"k\", \"null\": 1} [1.0, 1e+20] {\"a\":1}\n",
  },
  {
    name: "datetime timedelta",
    src: "from datetime import datetime, timedelta, date, timezone\nd = datetime(2024, 1, 31, 12, 30, 15, 500)\nprint(d + timedelta(days=1, hours=13), d - datetime(2024, 1, 1), (d - datetime(2024, 1, 1)).total_seconds(), d.strftime(\"%Y/%m/%d %H:%M:%S %j %a %b %p %f\"), d.weekday(), d.date(), repr(d.date()), d.isoformat())\nprint(datetime(2024, 1, 1, tzinfo=timezone.utc).isoformat(), timedelta(seconds=-1), timedelta(days=2, microseconds=5), timedelta(minutes=90) * 2, timedelta(hours=1) / timedelta(minutes=15), repr(timedelta(0)), repr(d))\nprint(datetime.fromisoformat(\"2024-05-06T07:08:09.123456\"), date(2024, 2, 28) + timedelta(days=2), date(2024, 3, 1) - date(2024, 1, 1), f\"{d:%Y-%m-%d}\", datetime(2024, 1, 1) < datetime(2024, 1, 2), d.replace(year=2020, microsecond=0), d.year, d.month, d.hour)\n",
    expected: "2024-02-02 01:30:15.000500 30 days, 12:30:15.000500 2637015.0005 2024/01/31 12:30:15 031 Wed Jan PM 000500 2 2024-01-31 datetime.date(2024, 1, 31) 2024-01-31T12:30:15.000500\n2024-01-01T00:00:00+00:00 -1 day, 23:59:59 2 days, 0:00:00.000005 3:00:00 4.0 datetime.timedelta(0) datetime.datetime(2024, 1, 31, 12, 30, 15, 500)\n2024-05-06 07:08:09.123456 2024-03-01 60 days, 0:00:00 2024-01-31 True 2020-01-31 12:30:15 2024 1 12\n",
  },
  {
    name: "del assert global walrus misc",
    src: "x = 1\ndel x\ntry:\n    print(x)\nexcept NameError as e:\n    print(\"NameError\", e)\ndata = [1, 2, 3, 4]\nif (n := len(data)) > 3:\n    print(\"walrus\", n)\nprint([y for v in data if (y := v * 2) > 4], y)\nprint(max(1, 2), \"done\" if __name__ != \"__main__\" else \"main\")\n",
    expected: "NameError name 'x' is not defined\nwalrus 4\n[6, 8] 8\n2 main\n",
  },
  {
    name: "typing annotations evaluate",
    src: "from typing import Optional, List, Dict, Any, Union\nprint(Optional[int], List[str], Dict[str, Any], Union[int, str], list[int], int | None)\n",
    expected: "typing.Optional[int] typing.List[str] typing.Dict[str, typing.Any] typing.Union[int, str] list[int] int | None\n",
  },
];
