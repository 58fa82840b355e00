# Was a divergence (found compiling google-cloud-sdk's bq_id_utils.py). A string literal equal
# to a later nested class's qualname ('A.P' here, an annotation there) is the constant cache's
# object for that text: the class body's __qualname__ constant is that literal, not interned
# (a dotted text is no identifier), while co_qualname stays the class's own qualname object,
# interned when its code object is made. cpyc made co_qualname the literal too (one object).
class A:
    class J:
        def g(self) -> 'A.P':
            pass
        x = 'A.P'
    class P:
        pass
