# The registry: library, registryctl (included by the top Makefile).
