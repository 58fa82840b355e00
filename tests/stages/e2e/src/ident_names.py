# Class, type parameter and type alias names are loaded as constants: the parser's
# identifiers, interned; a module-level or global class's __qualname__ is its name object,
# a nested one's a new string.
class Kö:
    pass
with ctx:
    class Lä:
        class Inner_ü:
            pass
def f():
    global Gé
    class Gé:
        pass
    class Localé:
        pass
    return Localé
class Gen[Tä, *Üs, **Pö]:
    def m[Ñ](self, x: Ñ) -> Tä: pass
def gen[Ä: int, Ö = str](a: Ä) -> Ö: pass
type Alias_ß = list[int]
type Galias[Ç] = dict[Ç, int]
class Plain:
    class Nested:
        pass
