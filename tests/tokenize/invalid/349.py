#!/bin/python
# -*- coding: nonesuch -*-
