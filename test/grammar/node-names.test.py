# SYNTAX TEST "source.python" "DataFlow node names inside Python strings"
# Node names: the whole content of a string literal is <Model><Operation>Node.

workflow.add_node("ProductCreateNode", "step0", {})
#                 ^ string.quoted.single.python punctuation.definition.string.begin.python - meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                  ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                         ^^^^^^ string.quoted.single.python meta.node-name.model.dataflow support.function.dataflow.operation
#                               ^^^^ string.quoted.single.python meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                   ^ string.quoted.single.python punctuation.definition.string.end.python - meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                       ^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
workflow.add_node('ProductReadNode', 'step1', {})
#                 ^ string.quoted.single.python punctuation.definition.string.begin.python - meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                  ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                         ^^^^ string.quoted.single.python meta.node-name.model.dataflow support.function.dataflow.operation
#                             ^^^^ string.quoted.single.python meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                 ^ string.quoted.single.python punctuation.definition.string.end.python - meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                     ^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
workflow.add_node("ProductUpdateNode", "step2", {})
#                 ^ string.quoted.single.python punctuation.definition.string.begin.python - meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                  ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                         ^^^^^^ string.quoted.single.python meta.node-name.model.dataflow support.function.dataflow.operation
#                               ^^^^ string.quoted.single.python meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                   ^ string.quoted.single.python punctuation.definition.string.end.python - meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                       ^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
workflow.add_node('ProductDeleteNode', 'step3', {})
#                 ^ string.quoted.single.python punctuation.definition.string.begin.python - meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                  ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                         ^^^^^^ string.quoted.single.python meta.node-name.model.dataflow support.function.dataflow.operation
#                               ^^^^ string.quoted.single.python meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                   ^ string.quoted.single.python punctuation.definition.string.end.python - meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                       ^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
workflow.add_node("ProductListNode", "step4", {})
#                 ^ string.quoted.single.python punctuation.definition.string.begin.python - meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                  ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                         ^^^^ string.quoted.single.python meta.node-name.model.dataflow support.function.dataflow.operation
#                             ^^^^ string.quoted.single.python meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                 ^ string.quoted.single.python punctuation.definition.string.end.python - meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                     ^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
workflow.add_node('ProductCountNode', 'step5', {})
#                 ^ string.quoted.single.python punctuation.definition.string.begin.python - meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                  ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                         ^^^^^ string.quoted.single.python meta.node-name.model.dataflow support.function.dataflow.operation
#                              ^^^^ string.quoted.single.python meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                  ^ string.quoted.single.python punctuation.definition.string.end.python - meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                      ^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
workflow.add_node("ProductUpsertNode", "step6", {})
#                 ^ string.quoted.single.python punctuation.definition.string.begin.python - meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                  ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                         ^^^^^^ string.quoted.single.python meta.node-name.model.dataflow support.function.dataflow.operation
#                               ^^^^ string.quoted.single.python meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                   ^ string.quoted.single.python punctuation.definition.string.end.python - meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                       ^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
workflow.add_node('ProductBulkCreateNode', 'step7', {})
#                 ^ string.quoted.single.python punctuation.definition.string.begin.python - meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                  ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                         ^^^^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow support.function.dataflow.operation
#                                   ^^^^ string.quoted.single.python meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                       ^ string.quoted.single.python punctuation.definition.string.end.python - meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                           ^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
workflow.add_node("ProductBulkUpdateNode", "step8", {})
#                 ^ string.quoted.single.python punctuation.definition.string.begin.python - meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                  ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                         ^^^^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow support.function.dataflow.operation
#                                   ^^^^ string.quoted.single.python meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                       ^ string.quoted.single.python punctuation.definition.string.end.python - meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                           ^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
workflow.add_node('ProductBulkDeleteNode', 'step9', {})
#                 ^ string.quoted.single.python punctuation.definition.string.begin.python - meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                  ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                         ^^^^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow support.function.dataflow.operation
#                                   ^^^^ string.quoted.single.python meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                       ^ string.quoted.single.python punctuation.definition.string.end.python - meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                           ^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
workflow.add_node("ProductBulkUpsertNode", "step10", {})
#                 ^ string.quoted.single.python punctuation.definition.string.begin.python - meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                  ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                         ^^^^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow support.function.dataflow.operation
#                                   ^^^^ string.quoted.single.python meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                       ^ string.quoted.single.python punctuation.definition.string.end.python - meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                           ^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator

# The example from the DataFlow docs
workflow.add_node("ProductBulkCreateNode", "import", {"data": rows, "batch_size": 1000})
#                  ^^^^^^^ meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                         ^^^^^^^^^^ meta.node-name.model.dataflow support.function.dataflow.operation
#                                   ^^^^ meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                                           ^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
#                                                      ^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
#                                                                    ^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator

# Model names: any identifier starting with an upper-case letter
wf.add_node("OrderItem2CreateNode", "a", {})
#            ^^^^^^^^^^ meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                      ^^^^^^ meta.node-name.model.dataflow support.function.dataflow.operation
wf.add_node("Order_LineListNode", "b", {})
#            ^^^^^^^^^^ meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                      ^^^^ meta.node-name.model.dataflow support.function.dataflow.operation
wf.add_node("UCountNode", "c", {})
#            ^ meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#             ^^^^^ meta.node-name.model.dataflow support.function.dataflow.operation
wf.add_node("BulkOrderBulkDeleteNode", "d", {})
#            ^^^^^^^^^ meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                     ^^^^^^^^^^ meta.node-name.model.dataflow support.function.dataflow.operation
wf.add_node("ÄrgerReadNode", "e", {})
#            ^^^^^ meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                 ^^^^ meta.node-name.model.dataflow support.function.dataflow.operation

# Transaction nodes
wf.add_node("TransactionScopeNode", "tx", {})
#            ^^^^^^^^^^^ string.quoted.single.python meta.node-name.transaction.dataflow entity.name.type.class.dataflow.transaction
#                       ^^^^^ string.quoted.single.python meta.node-name.transaction.dataflow support.function.dataflow.operation.transaction
#                            ^^^^ string.quoted.single.python meta.node-name.transaction.dataflow support.type.dataflow.node-suffix
wf.add_node("TransactionCommitNode", "tx", {})
#            ^^^^^^^^^^^ string.quoted.single.python meta.node-name.transaction.dataflow entity.name.type.class.dataflow.transaction
#                       ^^^^^^ string.quoted.single.python meta.node-name.transaction.dataflow support.function.dataflow.operation.transaction
#                             ^^^^ string.quoted.single.python meta.node-name.transaction.dataflow support.type.dataflow.node-suffix
wf.add_node("TransactionRollbackNode", "tx", {})
#            ^^^^^^^^^^^ string.quoted.single.python meta.node-name.transaction.dataflow entity.name.type.class.dataflow.transaction
#                       ^^^^^^^^ string.quoted.single.python meta.node-name.transaction.dataflow support.function.dataflow.operation.transaction
#                               ^^^^ string.quoted.single.python meta.node-name.transaction.dataflow support.type.dataflow.node-suffix
wf.add_node("TransactionSavepointNode", "tx", {})
#            ^^^^^^^^^^^ string.quoted.single.python meta.node-name.transaction.dataflow entity.name.type.class.dataflow.transaction
#                       ^^^^^^^^^ string.quoted.single.python meta.node-name.transaction.dataflow support.function.dataflow.operation.transaction
#                                ^^^^ string.quoted.single.python meta.node-name.transaction.dataflow support.type.dataflow.node-suffix
wf.add_node("TransactionRollbackToSavepointNode", "tx", {})
#            ^^^^^^^^^^^ string.quoted.single.python meta.node-name.transaction.dataflow entity.name.type.class.dataflow.transaction
#                       ^^^^^^^^^^^^^^^^^^^ string.quoted.single.python meta.node-name.transaction.dataflow support.function.dataflow.operation.transaction
#                                          ^^^^ string.quoted.single.python meta.node-name.transaction.dataflow support.type.dataflow.node-suffix

# String prefixes and quote styles
a = u"ProductReadNode"
#   ^ string.quoted.single.python storage.type.string.python - meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#     ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#            ^^^^ string.quoted.single.python meta.node-name.model.dataflow support.function.dataflow.operation
b = U'ProductReadNode'
#     ^^^^^^^ string.quoted.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
c = R"ProductReadNode"
#     ^^^^^^^ string.quoted.raw.single.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#            ^^^^ meta.node-name.model.dataflow support.function.dataflow.operation
d = f"ProductReadNode"
#     ^^^^^^^ meta.fstring.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#            ^^^^ meta.fstring.python meta.node-name.model.dataflow support.function.dataflow.operation
#                ^^^^ meta.node-name.model.dataflow support.type.dataflow.node-suffix
e = F'TransactionCommitNode'
#     ^^^^^^^^^^^ meta.fstring.python meta.node-name.transaction.dataflow entity.name.type.class.dataflow.transaction
#                ^^^^^^ meta.node-name.transaction.dataflow support.function.dataflow.operation.transaction
g = """ProductUpsertNode"""
#   ^^^ string.quoted.multi.python punctuation.definition.string.begin.python - meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#      ^^^^^^^ string.quoted.multi.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#             ^^^^^^ string.quoted.multi.python meta.node-name.model.dataflow support.function.dataflow.operation
#                   ^^^^ string.quoted.multi.python meta.node-name.model.dataflow support.type.dataflow.node-suffix
#                       ^^^ string.quoted.multi.python punctuation.definition.string.end.python - meta.node-name.model.dataflow support.type.dataflow.node-suffix
h = '''ProductUpsertNode'''
#      ^^^^^^^ string.quoted.multi.python meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#             ^^^^^^ meta.node-name.model.dataflow support.function.dataflow.operation

# Strings outside add_node() calls are highlighted too
NODES = ["UserCreateNode", 'UserListNode']
#         ^^^^ meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#             ^^^^^^ meta.node-name.model.dataflow support.function.dataflow.operation
#                           ^^^^ meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                               ^^^^ meta.node-name.model.dataflow support.function.dataflow.operation
mapping = {"create": "UserCreateNode"}
#           ^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
#                     ^^^^ meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                         ^^^^^^ meta.node-name.model.dataflow support.function.dataflow.operation
if node_type == "UserBulkUpsertNode":
#                ^^^^ meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                    ^^^^^^^^^^ meta.node-name.model.dataflow support.function.dataflow.operation
    pass

# A call spread over several lines
workflow.add_node(
    "ProductUpdateNode",
#    ^^^^^^^ meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#           ^^^^^^ meta.node-name.model.dataflow support.function.dataflow.operation
#                 ^^^^ meta.node-name.model.dataflow support.type.dataflow.node-suffix
    "update_price",
#    ^^^^^^^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
    {"filter": {"id": 1}, "fields": {"price": 9}},
#     ^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
)
x = 1
#   ^ constant.numeric.dec.python
