"""A small package that cpyc's `make run` compiles and inspects."""
from .greet import greet, PUNCTUATION

__all__ = ["greet", "PUNCTUATION"]
