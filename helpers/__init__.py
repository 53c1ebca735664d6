from helpers.testing import *  # noqa: F401,F403  (support: autograder checks and random cases)
