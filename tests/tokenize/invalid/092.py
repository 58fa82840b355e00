x = R"abc
