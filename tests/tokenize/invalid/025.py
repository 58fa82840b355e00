x = r"""abc

