"""Greetings, with a few constants of each kind."""
PUNCTUATION = frozenset("!?.")
LIMITS = (1, 2**64, 0.5, 3j, b"bytes", "caf\u00e9")


def greet(name, *, shout=False):
    text = f"Hello, {name}!"
    return text.upper() if shout else text


class Greeter:
    def __init__(self, names):
        self.names = list(names)

    def __iter__(self):
        for n in self.names:
            yield greet(n)
