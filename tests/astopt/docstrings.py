"""Docstrings for the cleandoc check: tabs, margins, blank lines, \r, Unicode."""
def f1():
    """First line.

        Indented more.
    Back at the margin.
    """
def f2():
	"""Tab	inside	the first line.
	Tab-indented line.
		Two tabs.
	"""
def f3():
    '''   leading spaces on the first line
       second
     third (the margin)
          fourth
'''
def f4():
    "single line with trailing spaces   "
def f5():
    """\n\n    only blank lines before\n  \n    text\n"""
def f6():
    """Unicode: é 😀 ü\n    naïve\t→ tab after non-ASCII\n      ☃"""
def f7():
    """carriage\r    returns\r\n    and\x0cform feeds\n\x0c   x"""
class C1:
    """   
    Class docstring with a blank-looking first line.
    """
    def m(self):
        """
        Method.
            Nested.
        """
class C2:
    r"""Raw \t not a tab
        but this line is indented
    """
async def f8():
    """	  mixed tab and spaces
  	  on each
	line"""
def f9():
    """"""
def f10():
    """x
    """
def f11():
    """a\n\tb\n        c\n\t\td"""
def f12():
    "\ud800 lone surrogate"
def f13():
    b"bytes are not docstrings"
def f14():
    f"f-strings are not docstrings"
