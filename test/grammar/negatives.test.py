# SYNTAX TEST "source.python" "Partial words, comments and other look-alikes are not scoped"
# Things that must NOT be scoped as DataFlow node names or operators.

# Partial words: the match must cover the whole string content
n = "MyProductCreateNodeX"
#    ^^^^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "ProductCreateNodeX"
#    ^^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "ProductCreateNodes"
#    ^^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "xProductCreateNode"
#    ^^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "productCreateNode"
#    ^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "_ProductCreateNode"
#    ^^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "ProductNode"
#    ^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "CreateNode"
#    ^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "ProductCreate"
#    ^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "ProductCreateNode2"
#    ^^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = " ProductCreateNode"
#     ^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "ProductCreateNode "
#    ^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "Product CreateNode"
#    ^^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "Product.CreateNode"
#    ^^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "ProductFooNode"
#    ^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "ProductcreateNode"
#    ^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "TransactionNode"
#    ^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "TransactionCommitNodeX"
#    ^^^^^^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "TransactionBeginNode"
#    ^^^^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
n = "MyTransactionScopeNode"
#    ^^^^^^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "$income"
#    ^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "$inx"
#    ^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "$eqx"
#    ^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "$gte "
#    ^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = " $gte"
#     ^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "$$gte"
#    ^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "$GTE"
#    ^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "$ gte"
#    ^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "gte"
#    ^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "$"
#    ^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "$in_stock"
#    ^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "$price"
#    ^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "$ors"
#    ^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "$android"
#    ^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "$notes"
#    ^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "a $gte b"
#    ^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
o = "$gte$lt"
#    ^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator

# Quotes: the closing quote must be the one that opened the string
a = "ProductCreateNode's docs"
#    ^^^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
b = 'ProductCreateNode"'
#    ^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
c = "$in'"
#    ^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
d = "Product\"CreateNode"
#    ^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
#             ^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
i1 = "see 'ProductCreateNode' here"
#          ^^^^^^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
i2 = 'use "$in" here'
#          ^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
i3 = "x'$or'"
#       ^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
e = "Product" "CreateNode"
#    ^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
#              ^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator

# Triple-quoted strings are not broken
t1 = """ProductCreateNode" is a node"""
#       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.multi.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
#                                   ^^^ string.quoted.multi.python punctuation.definition.string.end.python
t2 = '''ProductCreateNode' or '$in'''
#       ^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.multi.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
t3 = '''$in'''
#       ^^^ string.quoted.multi.python keyword.operator.dataflow.filter
t4 = """
#    ^^^ string.quoted.multi.python punctuation.definition.string.begin.python
ProductCreateNode
# <----------------- string.quoted.multi.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
$in
# <--- string.quoted.multi.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
"""
# <--- string.quoted.multi.python punctuation.definition.string.end.python
after = "ProductCreateNode"
# <----- - string.quoted.multi.python
#        ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model

# f-strings whose content is built at run time are not whole node names
f1 = f"{model}CreateNode"
#             ^^^^^^^^^^ meta.fstring.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
f2 = f"Product{op}Node"
#      ^^^^^^^ meta.fstring.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
#                 ^^^^ meta.fstring.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
f3 = f"{'ProductCreateNode'}"
#        ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
f4 = f"${op}"
#      ^ meta.fstring.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator

# Comments are never scoped
# "ProductCreateNode" and "$gte" and "$or"
#  ^^^^^^^^^^^^^^^^^ comment.line.number-sign.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
#                          ^^^^ comment.line.number-sign.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
#                                     ^^^ comment.line.number-sign.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
wf.add_node("ProductReadNode", "r", {})  # "ProductReadNode"
#            ^^^^^^^ meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                                           ^^^^^^^ comment.line.number-sign.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
# 'TransactionCommitNode'
#  ^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator

# Bare identifiers (not strings) are left to the Python grammar
from app.nodes import ProductCreateNode
#                     ^^^^^^^^^^^^^^^^^ - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
node = ProductCreateNode()
#      ^^^^^^^^^^^^^^^^^ - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator

# Byte strings and docstrings are left alone
b1 = b"ProductCreateNode"
#      ^^^^^^^^^^^^^^^^^ string.quoted.binary.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
b2 = rb'$in'
#       ^^^ - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
def f():
    """ProductCreateNode"""
#      ^^^^^^^^^^^^^^^^^ string.quoted.docstring.multi.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
    return "ProductCreateNode"
#           ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
