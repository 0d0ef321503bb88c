# SYNTAX TEST "source.python" "DataFlow filter operators inside Python strings"
# Filter operators: the whole content of a string literal is a $operator.

wf.add_node("ProductListNode", "cheap", {"filter": {"price": {"$gte": 10, "$lt": 100}, "id": {"$in": ids}}})
#            ^^^^^^^ meta.node-name.model.dataflow entity.name.type.class.dataflow.model
#                                         ^^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
#                                                    ^^^^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
#                                                              ^ string.quoted.single.python keyword.operator.dataflow.filter punctuation.definition.keyword.dataflow
#                                                               ^^^ string.quoted.single.python keyword.operator.dataflow.filter - punctuation.definition.keyword.dataflow
#                                                                          ^^^ string.quoted.single.python keyword.operator.dataflow.filter
#                                                                                              ^^^ string.quoted.single.python keyword.operator.dataflow.filter
#                                                   ^ string.quoted.single.python punctuation.definition.string.begin.python - keyword.operator.dataflow.filter
#                                                         ^ string.quoted.single.python punctuation.definition.string.end.python - keyword.operator.dataflow.filter

# Every supported operator, in double and single quotes
f_eq = {"$eq": v, '$eq': v}
#        ^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
#                  ^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
f_ne = {"$ne": v, '$ne': v}
#        ^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
#                  ^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
f_gt = {"$gt": v, '$gt': v}
#        ^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
#                  ^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
f_gte = {"$gte": v, '$gte': v}
#         ^^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
#                    ^^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
f_lt = {"$lt": v, '$lt': v}
#        ^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
#                  ^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
f_lte = {"$lte": v, '$lte': v}
#         ^^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
#                    ^^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
f_in = {"$in": v, '$in': v}
#        ^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
#                  ^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
f_nin = {"$nin": v, '$nin': v}
#         ^^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
#                    ^^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
f_like = {"$like": v, '$like': v}
#          ^^^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
#                      ^^^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
f_regex = {"$regex": v, '$regex': v}
#           ^^^^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
#                        ^^^^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
f_exists = {"$exists": v, '$exists': v}
#            ^^^^^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
#                          ^^^^^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
f_null = {"$null": v, '$null': v}
#          ^^^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator
#                      ^^^^^ string.quoted.single.python keyword.operator.dataflow.filter - invalid.deprecated.dataflow.filter-operator

# Operators DataFlow does not support are marked invalid.deprecated
u_or = {"$or": v, '$or': v}
#        ^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator punctuation.definition.keyword.dataflow - keyword.operator.dataflow.filter
#         ^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator - keyword.operator.dataflow.filter
#                  ^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator
u_and = {"$and": v, '$and': v}
#         ^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator punctuation.definition.keyword.dataflow - keyword.operator.dataflow.filter
#          ^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator - keyword.operator.dataflow.filter
#                    ^^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator
u_not = {"$not": v, '$not': v}
#         ^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator punctuation.definition.keyword.dataflow - keyword.operator.dataflow.filter
#          ^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator - keyword.operator.dataflow.filter
#                    ^^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator
u_nor = {"$nor": v, '$nor': v}
#         ^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator punctuation.definition.keyword.dataflow - keyword.operator.dataflow.filter
#          ^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator - keyword.operator.dataflow.filter
#                    ^^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator
u_contains = {"$contains": v, '$contains': v}
#              ^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator punctuation.definition.keyword.dataflow - keyword.operator.dataflow.filter
#               ^^^^^^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator - keyword.operator.dataflow.filter
#                              ^^^^^^^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator
u_ilike = {"$ilike": v, '$ilike': v}
#           ^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator punctuation.definition.keyword.dataflow - keyword.operator.dataflow.filter
#            ^^^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator - keyword.operator.dataflow.filter
#                        ^^^^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator
u_options = {"$options": v, '$options': v}
#             ^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator punctuation.definition.keyword.dataflow - keyword.operator.dataflow.filter
#              ^^^^^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator - keyword.operator.dataflow.filter
#                            ^^^^^^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator
u_text = {"$text": v, '$text': v}
#          ^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator punctuation.definition.keyword.dataflow - keyword.operator.dataflow.filter
#           ^^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator - keyword.operator.dataflow.filter
#                      ^^^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator
u_mul = {"$mul": v, '$mul': v}
#         ^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator punctuation.definition.keyword.dataflow - keyword.operator.dataflow.filter
#          ^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator - keyword.operator.dataflow.filter
#                    ^^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator

# Other quote styles
q = {f"$ne": 1, """$exists""": True, u"$null": True, R"$like": "a%"}
#      ^^^ meta.fstring.python keyword.operator.dataflow.filter
#                  ^^^^^^^ string.quoted.multi.python keyword.operator.dataflow.filter
#                                      ^^^^^ string.quoted.single.python keyword.operator.dataflow.filter
#                                                      ^^^^^ string.quoted.raw.single.python keyword.operator.dataflow.filter
#                                                               ^^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
bad = {"filter": {"$or": [{"a": 1}, {"b": {"$contains": "x"}}]}}
#                  ^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator
#                                           ^^^^^^^^^ string.quoted.single.python invalid.deprecated.dataflow.filter-operator
#                           ^ string.quoted.single.python - meta.node-name.model.dataflow meta.node-name.transaction.dataflow entity.name.type.class.dataflow.model support.function.dataflow.operation keyword.operator.dataflow.filter invalid.deprecated.dataflow.filter-operator
