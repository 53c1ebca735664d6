"""Ranges of the explorers' controls (a light module: the public functions validate against them)."""

#: beta of the EWMA explorer; the slides' three examples are the presets.
BETA_RANGE = (0.5, 0.999)
BETA_PRESETS = (0.5, 0.9, 0.98)
#: w0, w1, w2 of the perceptron explorer.
WEIGHT_RANGE = (-5.0, 5.0)
#: keep_prob of the dropout explorer.
KEEP_PROB_RANGE = (0.1, 1.0)
#: Menus and sliders of the initialization explorer (the initializers are in its module).
INIT_METHODS = ("zeros", "small random", "large random", "He", "Xavier")
INIT_ACTIVATIONS = ("relu", "tanh", "sigmoid")
DEPTH_RANGE = (2, 10)
WIDTHS = (16, 64, 128)
