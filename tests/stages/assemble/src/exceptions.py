# Deep nesting of handlers: try/except/finally, with, async with/for, except*, lasti entries.
import contextlib


def nested(x):
    try:
        try:
            try:
                try:
                    x = x + 1
                except ValueError as e:
                    x = e
                finally:
                    x = 2
            except* TypeError:
                pass
        except (KeyError, IndexError):
            raise
        else:
            with open(x) as f, contextlib.suppress(OSError):
                for line in f:
                    try:
                        yield line
                    except GeneratorExit:
                        return
    finally:
        del x


async def agen(it):
    async with it as a:
        async for b in a:
            try:
                await b
            except Exception:
                continue
            finally:
                yield b
    return


class K:
    def m(self):
        try:
            return super().m()
        finally:
            print(__class__)
