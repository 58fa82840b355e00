def f():
    try:
        a()
    except ValueError as e:
        b(e)
    except (TypeError, KeyError):
        c()
    except:
        d()
    else:
        e()
    finally:
        g()
    try:
        return 1
    finally:
        h()
    for i in x:
        try:
            break
        finally:
            continue
    with open(a) as f, open(b):
        return f.read()
    with x:
        for i in y:
            return i
    try:
        pass
    except* ValueError as e:
        pass
    except* TypeError:
        pass
    while 1:
        try:
            f()
        except E as e:
            break
        finally:
            pass
